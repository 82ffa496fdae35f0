import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { INFRA_PATHS, REPO_ROOT } from '../src/paths';
import { allQueries, ruleFiles } from '../src/queries';
import { asArray, asRecord, asString, isRecord, stringList } from '../src/yaml-values';
import { composeWithExampleEnv, SERVING_APPS } from './support/stack';
import { itWithTool, runTool } from './support/tools';

const config = asRecord(parse(readFileSync(INFRA_PATHS.prometheusConfig, 'utf8')), 'prometheus.yml');
const jobs = asArray(config['scrape_configs'], 'scrape_configs').map((job) => asRecord(job, 'scrape config'));

/** host:port targets of a job, static or from DNS service discovery */
function targetsOf(job: Record<string, unknown>): string[] {
  const targets: string[] = [];
  for (const staticConfig of asArray(job['static_configs'] ?? [], 'static_configs')) {
    targets.push(...stringList(asRecord(staticConfig, 'static config')['targets'], 'targets'));
  }
  for (const dns of asArray(job['dns_sd_configs'] ?? [], 'dns_sd_configs')) {
    const spec = asRecord(dns, 'dns_sd_config');
    for (const name of stringList(spec['names'], 'names')) targets.push(`${name}:${String(spec['port'])}`);
  }
  return targets;
}

function jobNamed(name: string): Record<string, unknown> | undefined {
  return jobs.find((job) => job['job_name'] === name);
}

describe('prometheus: scrape targets', () => {
  const compose = composeWithExampleEnv();

  it.each(SERVING_APPS.map((app) => [app.service, app.port] as const))('scrapes every replica of %s on its metrics port %d', (name, port) => {
    const job = jobNamed(name);
    expect(job).toBeDefined();
    expect(targetsOf(job ?? {})).toEqual([`${name}:${port}`]);
    // DNS discovery: one address per replica of the compose service (scaling, leader-metrics x3)
    expect(job?.['dns_sd_configs']).toBeDefined();
    expect(job?.['metrics_path'] ?? '/metrics').toBe('/metrics');
    // the app listens on that port inside its container
    const app = compose.services[name];
    expect(app?.healthcheck?.test.join(' ')).toContain(`:${port}/`);
  });

  it('scrapes itself', () => {
    expect(targetsOf(jobNamed('prometheus') ?? {})).toEqual(['localhost:9090']);
  });

  it('uses the job names of the local stack, so every query works against both', () => {
    const localStack = readFileSync(join(REPO_ROOT, 'tools/local-stack/src/components/prometheus.ts'), 'utf8');
    const localJobs = [...localStack.matchAll(/\{ job: '([^']+)'/g)].map((m) => m[1]).sort();
    expect(jobs.map((job) => job['job_name']).sort()).toEqual(localJobs);
  });

  it('loads the rule files', () => {
    expect(config['rule_files']).toEqual(['rules/*.yml']);
    expect(ruleFiles().length).toBeGreaterThan(0);
  });
});

describe('prometheus: alert rules', () => {
  const alerts = ruleFiles().flatMap((file) =>
    asArray(asRecord(parse(readFileSync(file, 'utf8')), file)['groups'], 'groups').flatMap((group) =>
      asArray(asRecord(group, 'group')['rules'], 'rules').map((rule) => asRecord(rule, 'rule')),
    ),
  );

  it.each([
    ['WiberConsumerLagGrowing', 'wiber_consumer_lag'],
    ['WiberDeadLettersReceived', 'wiber_dlq_messages_total'],
    ['WiberNoLeader', 'wiber_leader'],
    ['WiberGatewayHighErrorRate', 'wiber_http_requests_total'],
  ])('has %s on %s', (name, metric) => {
    const rule = alerts.find((candidate) => candidate['alert'] === name);
    expect(rule).toBeDefined();
    expect(asString(rule?.['expr'], name)).toContain(metric);
  });

  it('alerts on a missing leader only after more than a minute', () => {
    const rule = alerts.find((candidate) => candidate['alert'] === 'WiberNoLeader');
    expect(rule?.['for']).toBe('1m');
    expect(asString(rule?.['expr'], 'expr')).toMatch(/or vector\(0\)/);
  });

  it('gives every alert a duration or an instant reason, a severity and a summary and description', () => {
    for (const rule of alerts) {
      const labels = isRecord(rule['labels']) ? rule['labels'] : {};
      const annotations = isRecord(rule['annotations']) ? rule['annotations'] : {};
      expect(['warning', 'critical']).toContain(labels['severity']);
      expect(typeof annotations['summary']).toBe('string');
      expect(typeof annotations['description']).toBe('string');
    }
  });
});

describe('prometheus: promtool', () => {
  const withPromtool = itWithTool('promtool', 'apt-get install -y --no-install-recommends prometheus');

  withPromtool('promtool check config accepts prometheus.yml (and the rule files it loads)', (promtool) => {
    const result = runTool(promtool, ['check', 'config', INFRA_PATHS.prometheusConfig]);
    expect(result.output).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  withPromtool('promtool check rules accepts every rule file', (promtool) => {
    const result = runTool(promtool, ['check', 'rules', ...ruleFiles()]);
    expect(result.output).not.toMatch(/FAILED/);
    expect(result.status).toBe(0);
  });

  withPromtool("Prometheus' own parser accepts every dashboard expression", (promtool) => {
    // as recording rules, promtool parses them with the real PromQL parser
    const queries = allQueries().filter((q) => q.kind === 'dashboard');
    const rules = { groups: [{ name: 'dashboard-expressions', rules: queries.map((q, i) => ({ record: `wiber:dashboard_query:${i}`, expr: q.expr })) }] };
    const file = join(mkdtempSync(join(tmpdir(), 'wiber-promql-')), 'dashboards.yml');
    writeFileSync(file, stringify(rules));
    const result = runTool(promtool, ['check', 'rules', file]);
    expect(result.output).toContain(`SUCCESS: ${queries.length} rules found`);
    expect(result.status).toBe(0);
  });
});
