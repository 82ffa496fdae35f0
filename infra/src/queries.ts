import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { INFRA_PATHS, REPO_ROOT } from './paths';
import { asArray, asRecord, asString } from './yaml-values';

/** One PromQL expression of a dashboard panel or an alert rule, and where it is written. */
export interface LocatedQuery {
  /** e.g. `infra/grafana/dashboards/wiber-overview.json: "Consumer lag" A` */
  where: string;
  kind: 'dashboard' | 'alert' | 'record';
  expr: string;
}

function listFiles(dir: string, extension: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => join(dir, name));
}

export function dashboardFiles(): string[] {
  return listFiles(INFRA_PATHS.grafanaDashboards, '.json');
}

export function ruleFiles(): string[] {
  return listFiles(INFRA_PATHS.prometheusRules, '.yml');
}

/** Every target expression of every panel (rows' nested panels included). */
export function dashboardQueries(file: string): LocatedQuery[] {
  const dashboard = asRecord(JSON.parse(readFileSync(file, 'utf8')), file);
  const name = relative(REPO_ROOT, file);
  const queries: LocatedQuery[] = [];
  const visit = (panels: unknown): void => {
    for (const panel of asArray(panels ?? [], `${name} panels`)) {
      const p = asRecord(panel, `${name} panel`);
      if (p['panels'] !== undefined) visit(p['panels']);
      for (const target of asArray(p['targets'] ?? [], `${name} targets`)) {
        const t = asRecord(target, `${name} target`);
        queries.push({
          where: `${name}: ${JSON.stringify(p['title'])} ${String(t['refId'])}`,
          kind: 'dashboard',
          expr: asString(t['expr'], `${name} ${String(p['title'])} expr`),
        });
      }
    }
  };
  visit(dashboard['panels']);
  return queries;
}

/** Every `expr` of every alerting and recording rule. */
export function ruleQueries(file: string): LocatedQuery[] {
  const name = relative(REPO_ROOT, file);
  const doc = asRecord(parse(readFileSync(file, 'utf8')), name);
  const queries: LocatedQuery[] = [];
  for (const group of asArray(doc['groups'], `${name} groups`)) {
    const g = asRecord(group, `${name} group`);
    for (const rule of asArray(g['rules'], `${name} rules`)) {
      const r = asRecord(rule, `${name} rule`);
      const alert = r['alert'];
      const record = r['record'];
      queries.push({
        where: `${name}: ${typeof alert === 'string' ? `alert ${alert}` : `record ${String(record)}`}`,
        kind: typeof alert === 'string' ? 'alert' : 'record',
        expr: asString(r['expr'], `${name} rule expr`).trim(),
      });
    }
  }
  return queries;
}

/** All PromQL that infra/ ships: dashboards first, then rules. */
export function allQueries(): LocatedQuery[] {
  return [...dashboardFiles().flatMap(dashboardQueries), ...ruleFiles().flatMap(ruleQueries)];
}

