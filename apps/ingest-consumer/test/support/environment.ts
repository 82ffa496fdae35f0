import { randomUUID } from 'node:crypto';
import { BROKERS, MONGO_URI, SCHEMA_REGISTRY_URL } from '@wiber/testing';

/** Names of the topic, group and database of one test, so runs never share state. */
export interface TestNames {
  topic: string;
  dlqTopic: string;
  groupId: string;
  database: string;
}

export function uniqueNames(label: string): TestNames {
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  return { topic: `test.ingest.${id}`, dlqTopic: `test.ingest.${id}.dlq`, groupId: `test-ingest-${id}`, database: `wiber_test_${id.replace(/-/g, '_')}` };
}

/** Environment for the app (in-process config or child process) pointed at one test's names. */
export function ingestEnv(names: TestNames, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    KAFKA_BROKERS: BROKERS,
    SCHEMA_REGISTRY_URL,
    MONGO_URI,
    MONGO_DATABASE: names.database,
    INGEST_TOPIC: names.topic,
    INGEST_DLQ_TOPIC: names.dlqTopic,
    INGEST_GROUP_ID: names.groupId,
    LOG_LEVEL: 'warn',
    ...overrides,
  };
}
