import { join, resolve } from 'node:path';

/** The repository root (infra/src/.. /..). */
export const REPO_ROOT = resolve(__dirname, '..', '..');
export const INFRA_ROOT = join(REPO_ROOT, 'infra');

export const INFRA_PATHS = {
  compose: join(INFRA_ROOT, 'compose', 'docker-compose.yml'),
  composeEnvExample: join(INFRA_ROOT, 'compose', '.env.example'),
  createTopicsScript: join(INFRA_ROOT, 'compose', 'kafka', 'create-topics.sh'),
  mongoInitScript: join(INFRA_ROOT, 'compose', 'mongo', 'init-replica-set.js'),
  mongoKeyfileScript: join(INFRA_ROOT, 'compose', 'mongo', 'make-keyfile.sh'),
  dockerfile: join(INFRA_ROOT, 'docker', 'app.Dockerfile'),
  dockerignore: join(INFRA_ROOT, 'docker', 'app.Dockerfile.dockerignore'),
  healthcheck: join(INFRA_ROOT, 'docker', 'healthcheck.cjs'),
  prometheusConfig: join(INFRA_ROOT, 'prometheus', 'prometheus.yml'),
  prometheusRules: join(INFRA_ROOT, 'prometheus', 'rules'),
  grafanaProvisioning: join(INFRA_ROOT, 'grafana', 'provisioning'),
  grafanaDashboards: join(INFRA_ROOT, 'grafana', 'dashboards'),
} as const;
