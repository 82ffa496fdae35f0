import { exitOnConfigError } from '@wiber/config';
import { runService } from '@wiber/observability';
import { loadIngestConfig, SERVICE_NAME, type IngestConfig } from './config';
import { createIngestService } from './ingest-service';

function readConfig(): IngestConfig {
  try {
    return loadIngestConfig(process.env);
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
  forcedExitNote: 'uncommitted records will be redelivered',
  create: (deps) => createIngestService(config, deps),
});
