import { exitOnConfigError } from '@wiber/config';
import { runService } from '@wiber/observability';
import { loadLeaderMetricsConfig, SERVICE_NAME, type LeaderMetricsConfig } from './config';
import { createLeaderService } from './leader-service';

function readConfig(): LeaderMetricsConfig {
  try {
    return loadLeaderMetricsConfig(process.env);
  } catch (error) {
    return exitOnConfigError(SERVICE_NAME, error);
  }
}

const config = readConfig();
runService({
  service: SERVICE_NAME,
  instanceId: config.instanceId,
  logLevel: config.logLevel,
  ops: { host: config.metricsHost, port: config.metricsPort },
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  create: (deps) => createLeaderService(config, deps),
});
