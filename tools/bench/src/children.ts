import { AppProcess, freePort, waitFor } from '@wiber/testing';

/** Where the child apps find the stack (the same the bench itself uses). */
export interface StackEnv {
  KAFKA_BROKERS: string;
  SCHEMA_REGISTRY_URL: string;
  MONGO_URI: string;
}

export interface RunningApp {
  app: AppProcess;
  url: string;
  stop(): Promise<void>;
}

async function stopApp(app: AppProcess): Promise<void> {
  app.signal('SIGTERM');
  const exited = await Promise.race([app.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000).unref())]);
  if (exited === undefined) await app.ensureStopped();
}

async function untilReady(app: AppProcess, url: string, what: string): Promise<void> {
  let exitedEarly = false;
  void app.exited.then(() => {
    exitedEarly = true;
  });
  await waitFor(
    `${what} to be ready at ${url}/health/readiness`,
    async () => {
      if (exitedEarly) throw new Error(`${what} exited: ${app.stderr.slice(-500)}`);
      const res = await fetch(`${url}/health/readiness`);
      return res.status === 200;
    },
    90_000,
    250,
  ).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${what} stderr: ${app.stderr.slice(-1000)}`);
  });
}

/** The gateway as a child process (node --import tsx <appDir>/src/main.ts) on a free port, once ready. */
export async function startGateway(stack: StackEnv, env: Record<string, string>, appDir = 'apps/gateway'): Promise<RunningApp> {
  const port = await freePort();
  const app = new AppProcess(appDir, { ...stack, LOG_LEVEL: 'warn', ...env, GATEWAY_PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await untilReady(app, url, 'the gateway');
  } catch (error) {
    await app.ensureStopped();
    throw error;
  }
  return { app, url, stop: () => stopApp(app) };
}

/** The ingest-consumer as a child process, once it is a member of its group. */
export async function startIngestConsumer(stack: StackEnv, env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const app = new AppProcess('apps/ingest-consumer', { ...stack, LOG_LEVEL: 'warn', ...env, INGEST_METRICS_PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await untilReady(app, url, 'the ingest-consumer');
  } catch (error) {
    await app.ensureStopped();
    throw error;
  }
  return { app, url, stop: () => stopApp(app) };
}

/** leader-metrics as a child process, once its readiness endpoint says up. */
export async function startLeaderMetrics(stack: StackEnv, env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const app = new AppProcess('apps/leader-metrics', { ...stack, LOG_LEVEL: 'warn', ...env, LEADER_METRICS_PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await untilReady(app, url, 'leader-metrics');
  } catch (error) {
    await app.ensureStopped();
    throw error;
  }
  return { app, url, stop: () => stopApp(app) };
}
