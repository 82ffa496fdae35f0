import { randomUUID } from 'node:crypto';
import { BROKERS, MONGO_URI, SCHEMA_REGISTRY_URL } from '@wiber/testing';

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
