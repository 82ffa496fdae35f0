import { AppProcess, BROKERS, freePort, MONGO_URI, SCHEMA_REGISTRY_URL, waitFor } from '@wiber/testing';
import type { RunNames } from './names';

export type AppRole = 'gateway' | 'ingest-consumer' | 'leader-metrics';

/** One app as a child process (node --import tsx apps/<app>/src/main.ts) on a free loopback port. */
export interface RunningApp {
  role: AppRole;
  id: string;
  app: AppProcess;
  url: string;
  port: number;
}

const APP_DIRS: Record<AppRole, string> = {
  gateway: 'apps/gateway',
  'ingest-consumer': 'apps/ingest-consumer',
  'leader-metrics': 'apps/leader-metrics',
};

const STACK_ENV = { KAFKA_BROKERS: BROKERS, SCHEMA_REGISTRY_URL, MONGO_URI };

/** The environment that points an app at one run's private topic, group and database. */
export function appEnv(role: AppRole, names: RunNames, id: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  const common = { ...STACK_ENV, LOG_LEVEL: 'warn', MONGO_DATABASE: names.database };
  switch (role) {
    case 'gateway':
      return { ...common, GATEWAY_TOPIC: names.topic, INSTANCE_ID: id, GATEWAY_PORT: String(port), ...extra };
    case 'ingest-consumer':
      return {
        ...common,
        INGEST_TOPIC: names.topic,
        INGEST_DLQ_TOPIC: names.dlqTopic,
        INGEST_GROUP_ID: names.ingestGroupId,
        INGEST_INSTANCE_ID: id,
        INGEST_METRICS_PORT: String(port),
        ...extra,
      };
    case 'leader-metrics':
      return {
        ...common,
        LEADER_INSTANCE_ID: id,
        LEADER_METRICS_PORT: String(port),
        LEADER_GROUP_ID: names.leaderGroupId,
        LEADER_ELECTION_TOPIC: names.electionTopic,
        LEADER_METRICS_TOPIC: names.metricsTopic,
        LEADER_MESSAGES_TOPIC: names.topic,
        LEADER_DLQ_TOPIC: names.dlqTopic,
        LEADER_INGEST_GROUP_ID: names.ingestGroupId,
        LEADER_REPLAYER_GROUP_ID: names.replayerGroupId,
        ...extra,
      };
  }
}

export async function isReady(app: RunningApp, timeoutMs = 2_000): Promise<boolean> {
  try {
    const res = await fetch(`${app.url}/health/readiness`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Waits until the app answers /health/readiness with 200 (Kafka, registry and Mongo all reachable). */
export async function untilReady(app: RunningApp, timeoutMs: number): Promise<void> {
  await waitFor(
    `${app.id} to be ready at ${app.url}/health/readiness`,
    async () => {
      if (!app.app.isRunning()) throw new Error(`${app.id} exited: ${app.app.stderr.slice(-500)}`);
      return isReady(app);
    },
    timeoutMs,
    250,
  ).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${app.id} stderr: ${app.app.stderr.slice(-1000)}`);
  });
}

/** Every app this process started and has not stopped yet, for an interrupted run to clean up. */
const liveApps = new Set<AppProcess>();

export async function startApp(role: AppRole, names: RunNames, id: string, extra: Record<string, string> = {}, readyTimeoutMs = 90_000): Promise<RunningApp> {
  const port = await freePort();
  const app = new AppProcess(APP_DIRS[role], appEnv(role, names, id, port, extra));
  liveApps.add(app);
  void app.exited.then(() => liveApps.delete(app));
  const running: RunningApp = { role, id, app, url: `http://127.0.0.1:${port}`, port };
  try {
    await untilReady(running, readyTimeoutMs);
  } catch (error) {
    await app.ensureStopped();
    throw error;
  }
  return running;
}

/** SIGTERM (so consumers leave their groups), SIGKILL if that takes longer than 15 s. */
export async function stopApp(app: RunningApp): Promise<void> {
  await app.app.ensureStopped(15_000);
}

/** Stops every app still running (an interrupted run); never rejects. */
export async function stopAllApps(): Promise<void> {
  await Promise.all([...liveApps].map((app) => app.ensureStopped(15_000).catch(() => undefined)));
}

export async function scrapeMetrics(app: RunningApp, timeoutMs = 1_000): Promise<string | undefined> {
  try {
    const res = await fetch(`${app.url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}
