import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DASHBOARDS } from '../dashboards';
import { dashboardJson } from '../grafana';
import { INFRA_PATHS, REPO_ROOT } from '../paths';

/** `npx nx run infra:generate-dashboards`: writes infra/grafana/dashboards/*.json from infra/src/dashboards.ts. */
mkdirSync(INFRA_PATHS.grafanaDashboards, { recursive: true });
for (const { file, dashboard } of DASHBOARDS) {
  const path = join(INFRA_PATHS.grafanaDashboards, file);
  writeFileSync(path, dashboardJson(dashboard));
  console.log(`wrote ${relative(REPO_ROOT, path)} (${dashboard.panels.length} panels)`);
}
