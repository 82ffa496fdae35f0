import { exitOnConfigError } from '@wiber/config';
import { loadKafkaConfig } from '@wiber/kafka';
import { loadMongoConfig } from '@wiber/mongo';
import { createLogger, defaultInstanceId } from '@wiber/observability';
import { loadGatewayConfig } from './config';
import { SERVICE, startGateway } from './gateway';

const SHUTDOWN_LIMIT_MS = 10_000;

function loadConfig() {
  try {
    return { gateway: loadGatewayConfig(), kafka: loadKafkaConfig(SERVICE), mongo: loadMongoConfig(SERVICE) };
  } catch (error) {
    return exitOnConfigError(SERVICE, error);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const instance = process.env['INSTANCE_ID'] ?? defaultInstanceId();
  const logger = createLogger({ service: SERVICE, instance, level: config.gateway.logLevel });
  if (config.gateway.auth.mode === 'none') {
    logger.warn('AUTH_MODE=none: anyone can send as any user and read any conversation; use AUTH_MODE=jwt outside local development');
  }
  const gateway = await startGateway({ ...config, logger, instance });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: no new connections; finishing in-flight requests and flushing the producer`);
    setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_LIMIT_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    void gateway.stop().then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
