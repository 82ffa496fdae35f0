import { collectDefaultMetrics, Registry } from 'prom-client';

export const METRIC_PREFIX = 'wiber_';

export interface MetricsOptions {
  service: string;
  instance: string;
}

/**
 * A registry per process with the default process/Node metrics, all prefixed `wiber_`,
 * and `service`/`instance` labels on every series.
 */
export function createMetricsRegistry(options: MetricsOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service, instance: options.instance });
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return registry;
}
