import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** The repository root (apps/leader-metrics/test/support -> ../../../..). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

export const BROKERS = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094';
export const SCHEMA_REGISTRY_URL = process.env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
export const MONGO_URI = process.env['MONGO_URI'] ?? 'mongodb://127.0.0.1:27017';

/** Every name one test uses, so runs never share state with each other or with the real apps. */
export interface TestNames {
  groupId: string;
  electionTopic: string;
  metricsTopic: string;
  messagesTopic: string;
  dlqTopic: string;
  ingestGroupId: string;
  replayerGroupId: string;
  database: string;
}

export function uniqueNames(label: string): TestNames {
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  return {
    groupId: `test-lm-${id}`,
    electionTopic: `test.lm.${id}.election`,
    metricsTopic: `test.lm.${id}.metrics`,
    messagesTopic: `test.lm.${id}.messages`,
    dlqTopic: `test.lm.${id}.dlq`,
    ingestGroupId: `test-lm-${id}-ingest`,
    replayerGroupId: `test-lm-${id}-replayer`,
    database: `wiber_test_lm_${id.replace(/-/g, '_')}`,
  };
}

/** Environment of one instance pointed at one test's names. */
export function leaderEnv(names: TestNames, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    KAFKA_BROKERS: BROKERS,
    SCHEMA_REGISTRY_URL,
    MONGO_URI,
    MONGO_DATABASE: names.database,
    LEADER_GROUP_ID: names.groupId,
    LEADER_ELECTION_TOPIC: names.electionTopic,
    LEADER_METRICS_TOPIC: names.metricsTopic,
    LEADER_MESSAGES_TOPIC: names.messagesTopic,
    LEADER_DLQ_TOPIC: names.dlqTopic,
    LEADER_INGEST_GROUP_ID: names.ingestGroupId,
    LEADER_REPLAYER_GROUP_ID: names.replayerGroupId,
    LOG_LEVEL: 'info',
    ...overrides,
  };
}

/** A loopback port nothing listens on at the moment of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const suffix = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${suffix}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
