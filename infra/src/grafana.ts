/**
 * Grafana dashboard model (the subset Wiber's dashboards use) and small builders, so the
 * provisioned JSON files in infra/grafana/dashboards are generated from one typed source
 * (infra/src/dashboards.ts) instead of being edited by hand.
 */

/** Pinned: Grafana migrates older dashboards on load, so the files stay valid on upgrades. */
export const DASHBOARD_SCHEMA_VERSION = 41;

/** uid of the provisioned Prometheus datasource (infra/grafana/provisioning/datasources). */
export const PROMETHEUS_DATASOURCE_UID = 'wiber-prometheus';

export interface DatasourceRef {
  type: 'prometheus';
  uid: string;
}

export const PROMETHEUS: DatasourceRef = { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID };

export interface Target {
  refId: string;
  datasource: DatasourceRef;
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
}

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Unit =
  | 'short'
  | 'reqps'
  | 's'
  | 'percentunit'
  | 'bytes'
  | 'none'
  | 'ops'
  | 'cps';

export interface Threshold {
  color: string;
  value: number | null;
}

export interface FieldConfig {
  defaults: {
    unit: Unit;
    min?: number;
    decimals?: number;
    color: { mode: 'palette-classic' | 'thresholds' };
    thresholds: { mode: 'absolute'; steps: Threshold[] };
    custom?: Record<string, string | number | boolean>;
  };
  overrides: never[];
}

interface PanelBase {
  id: number;
  title: string;
  description: string;
  gridPos: GridPos;
}

export interface QueryPanel extends PanelBase {
  type: 'timeseries' | 'stat';
  datasource: DatasourceRef;
  targets: Target[];
  fieldConfig: FieldConfig;
  options: Record<string, unknown>;
}

export interface RowPanel extends PanelBase {
  type: 'row';
  collapsed: false;
  panels: never[];
}

export type Panel = QueryPanel | RowPanel;

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  schemaVersion: number;
  version: number;
  editable: boolean;
  graphTooltip: number;
  refresh: string;
  time: { from: string; to: string };
  timezone: string;
  templating: { list: never[] };
  annotations: { list: never[] };
  links: Array<{ title: string; type: 'dashboards'; tags: string[]; asDropdown: boolean; includeVars: boolean; keepTime: boolean }>;
  panels: Panel[];
}

/** One query of a panel. */
export interface Query {
  expr: string;
  legend: string;
}

export function query(expr: string, legend = ''): Query {
  return { expr, legend };
}

/** A panel before layout: its width and height in grid units. */
export interface PanelSpec {
  kind: 'timeseries' | 'stat' | 'row';
  title: string;
  description: string;
  queries: Query[];
  unit: Unit;
  width: number;
  height: number;
  /** stat panels: show the series name (e.g. which instance leads) instead of the value */
  showName?: boolean;
  thresholds?: Threshold[];
  stacked?: boolean;
}

interface PanelOptions {
  description?: string;
  width?: number;
  height?: number;
  thresholds?: Threshold[];
  stacked?: boolean;
}

export function timeseries(title: string, unit: Unit, queries: Query[], options: PanelOptions = {}): PanelSpec {
  return {
    kind: 'timeseries',
    title,
    description: options.description ?? '',
    queries,
    unit,
    width: options.width ?? 12,
    height: options.height ?? 8,
    ...(options.thresholds !== undefined ? { thresholds: options.thresholds } : {}),
    ...(options.stacked !== undefined ? { stacked: options.stacked } : {}),
  };
}

export function stat(title: string, unit: Unit, queries: Query[], options: PanelOptions & { showName?: boolean } = {}): PanelSpec {
  return {
    kind: 'stat',
    title,
    description: options.description ?? '',
    queries,
    unit,
    width: options.width ?? 6,
    height: options.height ?? 4,
    ...(options.showName !== undefined ? { showName: options.showName } : {}),
    ...(options.thresholds !== undefined ? { thresholds: options.thresholds } : {}),
  };
}

export function row(title: string): PanelSpec {
  return { kind: 'row', title, description: '', queries: [], unit: 'none', width: 24, height: 1 };
}

const GRID_WIDTH = 24;
const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DEFAULT_THRESHOLDS: Threshold[] = [{ color: 'green', value: null }];

function targetsOf(queries: Query[]): Target[] {
  return queries.map((q, index) => ({
    refId: REF_IDS.charAt(index),
    datasource: PROMETHEUS,
    expr: q.expr,
    legendFormat: q.legend,
    range: true,
    instant: false,
  }));
}

function panelOf(spec: PanelSpec, id: number, gridPos: GridPos): Panel {
  if (spec.kind === 'row') return { id, type: 'row', title: spec.title, description: '', gridPos, collapsed: false, panels: [] };
  const thresholds = { mode: 'absolute' as const, steps: spec.thresholds ?? DEFAULT_THRESHOLDS };
  if (spec.kind === 'stat') {
    return {
      id,
      type: 'stat',
      title: spec.title,
      description: spec.description,
      gridPos,
      datasource: PROMETHEUS,
      targets: targetsOf(spec.queries),
      fieldConfig: { defaults: { unit: spec.unit, color: { mode: 'thresholds' }, thresholds }, overrides: [] },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        textMode: spec.showName === true ? 'name' : 'auto',
        colorMode: 'value',
        graphMode: spec.showName === true ? 'none' : 'area',
        justifyMode: 'auto',
        orientation: 'auto',
      },
    };
  }
  return {
    id,
    type: 'timeseries',
    title: spec.title,
    description: spec.description,
    gridPos,
    datasource: PROMETHEUS,
    targets: targetsOf(spec.queries),
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        min: 0,
        color: { mode: 'palette-classic' },
        thresholds,
        custom: {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: spec.stacked === true ? 30 : 10,
          showPoints: 'never',
          spanNulls: true,
          ...(spec.stacked === true ? { stacking: 'normal' } : {}),
        },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  };
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  panels: PanelSpec[];
}

/** Lays the panels out left to right, wrapping at the grid width; rows start a new line. */
export function buildDashboard(spec: DashboardSpec): Dashboard {
  const panels: Panel[] = [];
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  spec.panels.forEach((panel, index) => {
    const width = Math.min(panel.width, GRID_WIDTH);
    if (panel.kind === 'row' || x + width > GRID_WIDTH) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    panels.push(panelOf(panel, index + 1, { x, y, w: width, h: panel.height }));
    x += width;
    lineHeight = Math.max(lineHeight, panel.height);
    if (panel.kind === 'row') {
      y += panel.height;
      x = 0;
      lineHeight = 0;
    }
  });
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    schemaVersion: DASHBOARD_SCHEMA_VERSION,
    version: 1,
    editable: false,
    graphTooltip: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    timezone: 'browser',
    templating: { list: [] },
    annotations: { list: [] },
    links: [{ title: 'Wiber', type: 'dashboards', tags: ['wiber'], asDropdown: true, includeVars: false, keepTime: true }],
    panels,
  };
}

/** The file content of a dashboard: stable key order, two-space indent, final newline. */
export function dashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
