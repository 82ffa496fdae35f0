import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowedLabels, findMetric, METRIC_PREFIX, METRICS, type MetricSpec } from '../src/metrics-catalog';
import { REPO_ROOT } from '../src/paths';
import { analysePromql } from '../src/promql';
import { allQueries } from '../src/queries';
import { productionSources, quoted, type SourceFile } from './support/source';

const queries = allQueries();
const analysed = queries.map((query) => ({ query, analysis: analysePromql(query.expr) }));
const sources = productionSources(['apps', 'packages']);

/** Files whose text declares the metric name as a string literal (`name: 'wiber_...'`). */
function declaringFiles(name: string, files: readonly SourceFile[] = sources): string[] {
  const pattern = quoted(name);
  return files.filter((file) => pattern.test(file.text)).map((file) => file.path);
}

/** labelNames of the metric as declared next to its name, when they are written there literally. */
function declaredLabels(name: string): string[] | undefined {
  for (const file of sources) {
    const at = file.text.search(quoted(name));
    if (at < 0) continue;
    const next = file.text.indexOf("name: '", at + name.length + 2);
    const declaration = file.text.slice(at, next < 0 ? undefined : next);
    const inline = /labelNames:\s*\[([^\]]*)\]/.exec(declaration);
    const shorthand = /labelNames(?:\s*:\s*([A-Za-z_$][\w$]*))?\s*[,}]/.exec(declaration);
    const list =
      inline?.[1] ??
      (shorthand === null ? undefined : new RegExp(`const ${shorthand[1] ?? 'labelNames'}\\s*=\\s*\\[([^\\]]*)\\]`).exec(file.text)?.[1]);
    if (list === undefined) return declaration.includes('labelNames') ? undefined : [];
    return [...list.matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '').sort();
  }
  return undefined;
}

describe('PromQL of dashboards and alert rules', () => {
  it('finds the expressions', () => {
    expect(queries.filter((q) => q.kind === 'dashboard').length).toBeGreaterThan(30);
    expect(queries.filter((q) => q.kind === 'alert').length).toBeGreaterThanOrEqual(5);
  });

  it.each(analysed.map((a) => [a.query.where, a] as const))('%s parses', (_where, { query, analysis }) => {
    expect({ expr: query.expr, errors: analysis.errors }).toEqual({ expr: query.expr, errors: [] });
    expect(analysis.selectors.length).toBeGreaterThan(0);
  });

  it('selects only metrics of the catalogue (infra/src/metrics-catalog.ts)', () => {
    const unknown = analysed.flatMap(({ query, analysis }) =>
      analysis.selectors.filter((s) => findMetric(s.metric) === undefined).map((s) => `${query.where}: ${s.metric}`),
    );
    expect(unknown).toEqual([]);
  });

  it('filters and groups only by labels those metrics carry', () => {
    const problems: string[] = [];
    for (const { query, analysis } of analysed) {
      for (const selector of analysis.selectors) {
        const metric = findMetric(selector.metric);
        if (metric === undefined) continue;
        const allowed = allowedLabels(selector.metric, metric);
        for (const label of selector.labels) {
          if (!allowed.includes(label)) problems.push(`${query.where}: ${selector.metric} has no label ${label}`);
        }
      }
      for (const grouping of analysis.groupings) {
        const allowed = new Set(
          grouping.metrics.flatMap((name) => {
            const metric = findMetric(name);
            return metric === undefined ? [] : allowedLabels(name, metric);
          }),
        );
        for (const label of grouping.labels) {
          if (!allowed.has(label)) problems.push(`${query.where}: groups by ${label}, which none of ${grouping.metrics.join(', ')} has`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('uses every metric of the catalogue (the catalogue is the list dashboards and rules use)', () => {
    const used = new Set(analysed.flatMap(({ analysis }) => analysis.selectors.map((s) => findMetric(s.metric)?.name)));
    expect(METRICS.map((m) => m.name).filter((name) => !used.has(name))).toEqual([]);
  });
});

describe('metric catalogue against the source code', () => {
  const wiber = METRICS.filter((m) => m.origin === 'wiber');

  it('has unique, wiber_-prefixed names for everything the apps export', () => {
    expect(new Set(METRICS.map((m) => m.name)).size).toBe(METRICS.length);
    for (const metric of METRICS.filter((m) => m.origin !== 'prometheus')) expect(metric.name.startsWith(METRIC_PREFIX)).toBe(true);
  });

  it.each(wiber.map((m) => [m.name, m] as const))('%s is declared in apps/*/src or packages/*/src', (name, metric: MetricSpec) => {
    const files = declaringFiles(name);
    if (files.length === 0) {
      throw new Error(`${name} (${metric.service}) is not declared in any production source under apps/*/src or packages/*/src`);
    }
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(wiber.map((m) => [m.name, m] as const))('%s: the labels the queries may use are the declared labelNames', (name, metric: MetricSpec) => {
    const declared = declaredLabels(name);
    // undefined: not declared yet (the test above fails) or labelNames built at run time
    if (declared !== undefined) expect(declared).toEqual([...metric.labels].sort());
  });

  it.each(METRICS.filter((m) => m.origin === 'prom-client-default').map((m) => [m.name] as const))(
    '%s is a prom-client default metric, registered with the wiber_ prefix',
    (name) => {
      const metricsDir = join(REPO_ROOT, 'node_modules/prom-client/lib/metrics');
      const library = readdirSync(metricsDir)
        .filter((file) => file.endsWith('.js'))
        .map((file) => readFileSync(join(metricsDir, file), 'utf8'))
        .join('\n');
      expect(library).toMatch(quoted(name.slice(METRIC_PREFIX.length)));
      const registry = readFileSync(join(REPO_ROOT, 'packages/observability/src/metrics.ts'), 'utf8');
      expect(registry).toContain(`METRIC_PREFIX = '${METRIC_PREFIX}'`);
      expect(registry).toMatch(/collectDefaultMetrics\(\{[^}]*prefix: METRIC_PREFIX/);
    },
  );

  it('lists only Prometheus-made series as origin "prometheus"', () => {
    expect(METRICS.filter((m) => m.origin === 'prometheus').map((m) => m.name)).toEqual(['up']);
  });
});
