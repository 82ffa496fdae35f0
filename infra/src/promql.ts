import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';

/** A vector selector: `name{label="x", ...}`. */
export interface Selector {
  metric: string;
  /** label names used in the selector's matchers */
  labels: string[];
}

/** `by (...)`/`without (...)` of an aggregation, or `on (...)`/`ignoring (...)` of a binary operation. */
export interface Grouping {
  labels: string[];
  /** the series names selected inside the aggregation (for on/ignoring: the whole binary expression) */
  metrics: string[];
}

export interface PromqlAnalysis {
  /** syntax errors as "offset N: <text>"; empty when the expression parses */
  errors: string[];
  selectors: Selector[];
  groupings: Grouping[];
}

function text(expr: string, node: SyntaxNode): string {
  return expr.slice(node.from, node.to);
}

function labelName(expr: string, node: SyntaxNode): string {
  const raw = text(expr, node);
  // a quoted label name ("route") is allowed in PromQL 3
  return raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw;
}

function labelNamesIn(expr: string, node: SyntaxNode): string[] {
  const names: string[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (child.name === 'LabelName' || child.name === 'QuotedLabelName') names.push(labelName(expr, child));
  }
  return names;
}

function matcherLabels(expr: string, matchers: SyntaxNode): string[] {
  const labels: string[] = [];
  for (let matcher = matchers.firstChild; matcher !== null; matcher = matcher.nextSibling) {
    const name = matcher.getChild('LabelName') ?? matcher.getChild('QuotedLabelName');
    if (name !== null) labels.push(labelName(expr, name));
  }
  return labels;
}

function selectorsUnder(expr: string, node: SyntaxNode): Selector[] {
  const selectors: Selector[] = [];
  const cursor = node.cursor();
  const visit = (): void => {
    if (cursor.name === 'VectorSelector') {
      const identifier = cursor.node.getChild('Identifier');
      const matchers = cursor.node.getChild('LabelMatchers');
      const labels = matchers === null ? [] : matcherLabels(expr, matchers);
      // {__name__="x"} selects by name too
      const byName = matchers === null ? undefined : nameFromMatchers(expr, matchers);
      const metric = identifier !== null ? text(expr, identifier) : byName;
      if (metric !== undefined) selectors.push({ metric, labels: labels.filter((label) => label !== '__name__') });
    }
    if (cursor.firstChild()) {
      do visit();
      while (cursor.nextSibling());
      cursor.parent();
    }
  };
  visit();
  return selectors;
}

function nameFromMatchers(expr: string, matchers: SyntaxNode): string | undefined {
  for (let matcher = matchers.firstChild; matcher !== null; matcher = matcher.nextSibling) {
    const name = matcher.getChild('LabelName');
    const value = matcher.getChild('StringLiteral');
    if (name !== null && value !== null && text(expr, name) === '__name__') return text(expr, value).slice(1, -1);
  }
  return undefined;
}

/**
 * Parses a PromQL expression with Prometheus' own Lezer grammar and returns its syntax
 * errors, the metrics it selects (with the labels their matchers use) and the labels it
 * groups or matches by.
 */
export function analysePromql(expr: string): PromqlAnalysis {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const groupings: Grouping[] = [];
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) {
        errors.push(`offset ${ref.from}: ${JSON.stringify(expr.slice(Math.max(0, ref.from - 20), ref.to + 20))}`);
        return;
      }
      if (ref.name === 'AggregateExpr') {
        const modifier = ref.node.getChild('AggregateModifier');
        const body = ref.node.getChild('FunctionCallBody');
        const grouping = modifier?.getChild('GroupingLabels') ?? null;
        if (grouping !== null && body !== null) {
          groupings.push({ labels: labelNamesIn(expr, grouping), metrics: selectorsUnder(expr, body).map((s) => s.metric) });
        }
      }
      if (ref.name === 'BinaryExpr') {
        const clause = ref.node.getChild('MatchingModifierClause');
        const grouping = clause?.getChild('GroupingLabels') ?? null;
        if (grouping !== null) {
          groupings.push({ labels: labelNamesIn(expr, grouping), metrics: selectorsUnder(expr, ref.node).map((s) => s.metric) });
        }
      }
      return undefined;
    },
  });
  if (expr.trim() === '') errors.push('empty expression');
  return { errors, selectors: selectorsUnder(expr, tree.topNode), groupings };
}
