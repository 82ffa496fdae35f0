import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { DASHBOARDS } from '../src/dashboards';
import { DASHBOARD_SCHEMA_VERSION, dashboardJson, PROMETHEUS_DATASOURCE_UID } from '../src/grafana';
import { INFRA_PATHS } from '../src/paths';
import { dashboardFiles } from '../src/queries';
import { asArray, asRecord, isRecord, type JsonRecord } from '../src/yaml-values';
import { composeWithExampleEnv } from './support/stack';

const files = dashboardFiles();
const dashboards = files.map((file) => ({ file: basename(file), json: asRecord(JSON.parse(readFileSync(file, 'utf8')), file) }));

function panelsOf(dashboard: JsonRecord): JsonRecord[] {
  return asArray(dashboard['panels'], 'panels').map((panel) => asRecord(panel, 'panel'));
}

describe('grafana: dashboards', () => {
  it('are exactly the generated ones, up to date (run `npx nx run infra:generate-dashboards`)', () => {
    expect(files.map((file) => basename(file)).sort()).toEqual(DASHBOARDS.map((d) => d.file).sort());
    for (const { file, dashboard } of DASHBOARDS) {
      expect(readFileSync(join(INFRA_PATHS.grafanaDashboards, file), 'utf8')).toBe(dashboardJson(dashboard));
    }
  });

  it.each(dashboards.map((d) => [d.file, d.json] as const))('%s has a pinned schema version, a uid and a title', (file, json) => {
    expect(json['schemaVersion']).toBe(DASHBOARD_SCHEMA_VERSION);
    expect(json['uid']).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(`${String(json['uid'])}.json`).toBe(file);
    expect(typeof json['title']).toBe('string');
    expect(json['id'] ?? null).toBeNull();
  });

  it('have distinct uids and titles', () => {
    expect(new Set(dashboards.map((d) => d.json['uid'])).size).toBe(dashboards.length);
    expect(new Set(dashboards.map((d) => d.json['title'])).size).toBe(dashboards.length);
  });

  it.each(dashboards.map((d) => [d.file, d.json] as const))('%s: panels query the provisioned datasource and fit the grid', (_file, json) => {
    const panels = panelsOf(json);
    expect(new Set(panels.map((p) => p['id'])).size).toBe(panels.length);
    for (const panel of panels) {
      const grid = asRecord(panel['gridPos'], 'gridPos');
      expect(Number(grid['x']) + Number(grid['w'])).toBeLessThanOrEqual(24);
      if (panel['type'] === 'row') continue;
      expect(['timeseries', 'stat']).toContain(panel['type']);
      expect(panel['datasource']).toEqual({ type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID });
      const targets = asArray(panel['targets'], 'targets').map((t) => asRecord(t, 'target'));
      expect(targets.length).toBeGreaterThan(0);
      expect(new Set(targets.map((t) => t['refId'])).size).toBe(targets.length);
      for (const target of targets) {
        expect(target['datasource']).toEqual({ type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID });
        expect(String(target['expr'])).not.toMatch(/\$\{?__|\$[a-z]/); // no Grafana variables: evaluable as is
      }
    }
  });

  it('include an overview with the panels the issue asks for', () => {
    const overview = dashboards.find((d) => d.json['uid'] === 'wiber-overview');
    const titles = panelsOf(overview?.json ?? {}).map((p) => String(p['title']));
    expect(titles).toEqual(
      expect.arrayContaining([
        'Gateway request rate by route',
        'Gateway latency quantiles',
        'Gateway error rate',
        'Messages accepted vs stored',
        'End-to-end latency (accepted to stored)',
        'Consumer lag',
        'Dead-letter queue depth',
        'Dead-lettered by reason',
        'Current leader',
        'Leader epoch',
      ]),
    );
  });

  it('include one dashboard per app', () => {
    const tags = dashboards.flatMap((d) => asArray(d.json['tags'], 'tags'));
    for (const app of ['gateway', 'ingest-consumer', 'leader-metrics', 'dlq-replayer']) expect(tags).toContain(app);
  });
});

describe('grafana: provisioning', () => {
  const compose = composeWithExampleEnv();
  const grafana = compose.services['grafana'];

  it('provisions the Prometheus datasource with the uid the dashboards use', () => {
    const file = asRecord(parse(readFileSync(join(INFRA_PATHS.grafanaProvisioning, 'datasources', 'prometheus.yml'), 'utf8')), 'datasources');
    const sources = asArray(file['datasources'], 'datasources').map((s) => asRecord(s, 'datasource'));
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ uid: PROMETHEUS_DATASOURCE_UID, type: 'prometheus', url: 'http://prometheus:9090', isDefault: true });
  });

  it('loads the dashboards from where compose mounts them', () => {
    const file = asRecord(parse(readFileSync(join(INFRA_PATHS.grafanaProvisioning, 'dashboards', 'wiber.yml'), 'utf8')), 'providers');
    const providers = asArray(file['providers'], 'providers').map((p) => asRecord(p, 'provider'));
    const path = providers.map((p) => (isRecord(p['options']) ? p['options']['path'] : undefined));
    expect(path).toEqual(['/etc/wiber-grafana/dashboards']);
    expect(grafana?.volumes).toContain(`../grafana/dashboards:${String(path[0])}:ro`);
    expect(grafana?.environment['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH']).toBe(`${String(path[0])}/wiber-overview.json`);
  });
});
