import type { Server } from 'node:http';
import { exitOnConfigError } from '@wiber/config';
import { createLogger, createMetricsRegistry, startOpsServer } from '@wiber/observability';
import { loadLeaderMetricsConfig, SERVICE_NAME, type LeaderMetricsConfig } from './config';
import { createLeaderService } from './leader-service';

function readConfig(): LeaderMetricsConfig {
  try {
    return loadLeaderMetricsConfig(process.env);
  } catch (error) {
    return exitOnConfigError(SERVICE_NAME, error);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ service: SERVICE_NAME, instance: config.instanceId, level: config.logLevel });
  const registry = createMetricsRegistry({ service: SERVICE_NAME, instance: config.instanceId });
  const service = createLeaderService(config, {
    logger,
    registry,
    onFatal: (error) => void shutdown(`fatal: ${error.message}`, 1),
  });
  const ops = await startOpsServer({ port: config.metricsPort, registry, readiness: service.readiness });
  logger.info('metrics and health endpoints listening', { port: config.metricsPort });

  let stopping = false;
  const shutdown = async (reason: string, exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { reason });
    const force = setTimeout(() => {
      logger.error(`did not stop within ${config.shutdownTimeoutMs} ms; exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    let code = exitCode;
    try {
      await service.stop();
    } catch (error) {
      logger.error('error while stopping', { error: describe(error) });
      code = 1;
    }
    await closeServer(ops);
    logger.info('stopped', { exitCode: code });
    process.exit(code);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutdown(signal, 0));
  }

  try {
    await service.start();
  } catch (error) {
    logger.error('cannot start', { error: describe(error) });
    await shutdown('start failed', 1);
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main().catch((error: unknown) => {
  process.stderr.write(`${SERVICE_NAME}: ${describe(error)}\n`);
  process.exit(1);
});
