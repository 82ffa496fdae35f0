import { parseArgs } from 'node:util';
import { allQueries, type LocatedQuery } from '../queries';
import { isRecord } from '../yaml-values';

/**
 * `npx nx run infra:check-queries -- --prometheus http://127.0.0.1:9090 [--strict]`
 *
 * Evaluates every PromQL expression of the dashboards and alert rules against a live
 * Prometheus (the local stack's by default) and reports, per expression, how many series it
 * returned. An error (bad query) always fails; with --strict an empty dashboard query fails
 * too. An alert expression returns series only while its condition holds, so for alerts
 * "empty" means "not firing now".
 */

interface Outcome {
  query: LocatedQuery;
  status: 'data' | 'empty' | 'error';
  detail: string;
}

const TIMEOUT_MS = 10_000;

async function evaluate(base: string, query: LocatedQuery): Promise<Outcome> {
  const url = `${base.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(query.expr)}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body: unknown = await response.json();
    if (!isRecord(body) || body['status'] !== 'success' || !isRecord(body['data'])) {
      const error = isRecord(body) ? String(body['error'] ?? response.status) : String(response.status);
      return { query, status: 'error', detail: error };
    }
    const result = body['data']['result'];
    const count = Array.isArray(result) ? result.length : 1;
    return count > 0 ? { query, status: 'data', detail: `${count} series` } : { query, status: 'empty', detail: 'no series' };
  } catch (error) {
    return { query, status: 'error', detail: error instanceof Error ? error.message : String(error) };
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      prometheus: { type: 'string', default: process.env['PROMETHEUS_URL'] ?? 'http://127.0.0.1:9090' },
      strict: { type: 'boolean', default: false },
    },
  });
  const base = values.prometheus;
  const outcomes: Outcome[] = [];
  for (const query of allQueries()) outcomes.push(await evaluate(base, query));

  for (const outcome of outcomes) {
    const label = outcome.query.kind === 'alert' && outcome.status === 'empty' ? 'not firing' : outcome.status;
    console.log(`${label.padEnd(10)} ${outcome.query.where}: ${outcome.detail}`);
    if (outcome.status !== 'data') console.log(`           ${outcome.query.expr}`);
  }
  const errors = outcomes.filter((o) => o.status === 'error').length;
  const emptyPanels = outcomes.filter((o) => o.status === 'empty' && o.query.kind === 'dashboard').length;
  const withData = outcomes.filter((o) => o.status === 'data').length;
  console.log(`\n${outcomes.length} expressions against ${base}: ${withData} with data, ${emptyPanels} empty panel queries, ${errors} errors`);
  return errors > 0 || (values.strict && emptyPanels > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`check-queries: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
