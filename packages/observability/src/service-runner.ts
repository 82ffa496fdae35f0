import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { HealthCheck } from './health';
import { createLogger, type Logger, type LogLevel } from './logger';
import { createMetricsRegistry } from './metrics';
import { startOpsServer } from './ops-server';

/** What a long-running non-HTTP app (a consumer, leader-metrics) gives the runner. */
export interface RunnableService {
  start(): Promise<void>;
  /** drains and commits; the process exits right after */
  stop(): Promise<void>;
  readiness: Record<string, HealthCheck>;
}

export interface ServiceRunOptions {
  service: string;
  instanceId: string;
  logLevel: LogLevel;
  /** where /metrics and /health/* listen */
  ops: { host: string; port: number };
  shutdownTimeoutMs: number;
  /** appended to the log line of a forced exit, e.g. what happens to uncommitted work */
  forcedExitNote?: string;
  create(deps: { logger: Logger; registry: Registry; onFatal: (error: Error) => void }): RunnableService;
}

/**
 * The one entry-point lifecycle of every non-HTTP app: logger, metrics, ops server, start, and a
 * single shutdown path (SIGTERM/SIGINT, fatal error, failed start) that stops the service within
 * shutdownTimeoutMs and exits. Anything failing before the logger exists (say, the metrics port in
 * use) is one line on stderr and exit 1.
 */
export function runService(options: ServiceRunOptions): void {
  run(options).catch((error: unknown) => {
    process.stderr.write(`${options.service}: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

async function run(options: ServiceRunOptions): Promise<void> {
  const logger = createLogger({ service: options.service, instance: options.instanceId, level: options.logLevel });
  const registry = createMetricsRegistry({ service: options.service, instance: options.instanceId });
  let shutdown: (reason: string, exitCode: number) => Promise<void> = async () => undefined;
  const service = options.create({ logger, registry, onFatal: (error) => void shutdown(`fatal: ${error.message}`, 1) });
  const ops = await startOpsServer({ host: options.ops.host, port: options.ops.port, registry, readiness: service.readiness });
  logger.info('metrics and health endpoints listening', { host: options.ops.host, port: options.ops.port });

  let stopping = false;
  shutdown = async (reason, exitCode) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { reason });
    const force = setTimeout(() => {
      const note = options.forcedExitNote === undefined ? '' : ` (${options.forcedExitNote})`;
      logger.error(`did not stop within ${options.shutdownTimeoutMs} ms; exiting anyway${note}`);
      process.exit(1);
    }, options.shutdownTimeoutMs);
    force.unref();
    let code = exitCode;
    try {
      await service.stop();
    } catch (error) {
      logger.error('error while stopping', { error: describeError(error) });
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
    logger.error('cannot start', { error: describeError(error) });
    await shutdown('start failed', 1);
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
