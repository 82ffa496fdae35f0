import { ConfigError, nonEmptyStr, port, positiveInt, readEnv, str, topicName } from '@wiber/config';
import { CONSUMER_GROUPS, loadKafkaConfig, TOPICS, type KafkaConfig } from '@wiber/kafka';
import { loadMongoConfig, type MongoConfig } from '@wiber/mongo';
import { defaultInstanceId, type LogLevel } from '@wiber/observability';

export const SERVICE_NAME = 'leader-metrics';

export interface ElectionSettings {
  groupId: string;
  /** single-partition topic whose partition 0 makes its holder the leader */
  topic: string;
  /** a member silent this long (kill -9, frozen) is dropped by the group coordinator */
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /**
   * Leadership ends this long before the coordinator could possibly expire the session, counted
   * from the send time of the last acknowledged heartbeat (see README, "Fencing").
   */
  leaseMarginMs: number;
}

/** Where the figures come from (all configurable so tests can use private names). */
export interface SourceSettings {
  messagesTopic: string;
  dlqTopic: string;
  ingestGroupId: string;
  replayerGroupId: string;
}

export interface LeaderMetricsConfig {
  instanceId: string;
  logLevel: LogLevel;
  /** listen address of /metrics and /health/*: 127.0.0.1 by default, 0.0.0.0 in a container */
  metricsHost: string;
  metricsPort: number;
  /** topic the snapshots are published to */
  metricsTopic: string;
  intervalMs: number;
  /** messages per minute are counted over this window */
  rateWindowSeconds: number;
  /** active conversations and users: a message within this window */
  activityWindowSeconds: number;
  /** collecting the figures of one snapshot takes at most this long, or the snapshot is skipped */
  collectTimeoutMs: number;
  shutdownTimeoutMs: number;
  election: ElectionSettings;
  sources: SourceSettings;
  kafka: KafkaConfig;
  mongo: MongoConfig;
}

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** Reads and validates every variable; all problems are reported together in one ConfigError. */
export function loadLeaderMetricsConfig(env: NodeJS.ProcessEnv = process.env): LeaderMetricsConfig {
  const problems: Record<string, string> = {};
  const collect = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      Object.assign(problems, error.problems);
      return undefined;
    }
  };

  const kafka = collect(() => loadKafkaConfig(SERVICE_NAME, env));
  const mongo = collect(() => loadMongoConfig(SERVICE_NAME, env));
  const own = collect(() =>
    readEnv(
      {
        LEADER_INSTANCE_ID: nonEmptyStr({ default: defaultInstanceId() }),
        LOG_LEVEL: str({ choices: LOG_LEVELS, default: 'info' }),
        LEADER_METRICS_HOST: nonEmptyStr({ default: '127.0.0.1' }),
        LEADER_METRICS_PORT: port({ default: 9201 }),
        LEADER_GROUP_ID: nonEmptyStr({ default: CONSUMER_GROUPS.leaderMetrics }),
        LEADER_ELECTION_TOPIC: topicName({ default: TOPICS.leaderElection }),
        LEADER_METRICS_TOPIC: topicName({ default: TOPICS.metrics }),
        LEADER_MESSAGES_TOPIC: topicName({ default: TOPICS.messages }),
        LEADER_DLQ_TOPIC: topicName({ default: TOPICS.messagesDlq }),
        LEADER_INGEST_GROUP_ID: nonEmptyStr({ default: CONSUMER_GROUPS.ingest }),
        LEADER_REPLAYER_GROUP_ID: nonEmptyStr({ default: CONSUMER_GROUPS.dlqReplayer }),
        LEADER_INTERVAL_SECONDS: positiveInt({ default: 15 }),
        LEADER_RATE_WINDOW_SECONDS: positiveInt({ default: 60 }),
        LEADER_ACTIVITY_WINDOW_SECONDS: positiveInt({ default: 300 }),
        LEADER_COLLECT_TIMEOUT_MS: positiveInt({ default: 10_000 }),
        LEADER_SESSION_TIMEOUT_MS: positiveInt({ default: 10_000 }),
        LEADER_HEARTBEAT_INTERVAL_MS: positiveInt({ default: undefined }),
        LEADER_SHUTDOWN_TIMEOUT_MS: positiveInt({ default: 9_000 }),
      },
      env,
    ),
  );

  let heartbeatIntervalMs = 0;
  if (own !== undefined) {
    heartbeatIntervalMs = own.LEADER_HEARTBEAT_INTERVAL_MS ?? Math.max(100, Math.floor(own.LEADER_SESSION_TIMEOUT_MS / 10));
    // a third leaves room for two lost heartbeats before the session expires (Kafka's own advice)
    if (heartbeatIntervalMs * 3 > own.LEADER_SESSION_TIMEOUT_MS) {
      problems['LEADER_HEARTBEAT_INTERVAL_MS'] =
        `is invalid (must be at most a third of LEADER_SESSION_TIMEOUT_MS=${own.LEADER_SESSION_TIMEOUT_MS}; got "${heartbeatIntervalMs}")`;
    }
  }
  if (kafka === undefined || mongo === undefined || own === undefined || Object.keys(problems).length > 0) {
    throw new ConfigError(problems);
  }

  const sessionTimeoutMs = own.LEADER_SESSION_TIMEOUT_MS;
  return {
    instanceId: own.LEADER_INSTANCE_ID,
    logLevel: own.LOG_LEVEL as LogLevel,
    metricsHost: own.LEADER_METRICS_HOST,
    metricsPort: own.LEADER_METRICS_PORT,
    metricsTopic: own.LEADER_METRICS_TOPIC,
    intervalMs: own.LEADER_INTERVAL_SECONDS * 1000,
    rateWindowSeconds: own.LEADER_RATE_WINDOW_SECONDS,
    activityWindowSeconds: own.LEADER_ACTIVITY_WINDOW_SECONDS,
    collectTimeoutMs: own.LEADER_COLLECT_TIMEOUT_MS,
    shutdownTimeoutMs: own.LEADER_SHUTDOWN_TIMEOUT_MS,
    election: {
      groupId: own.LEADER_GROUP_ID,
      topic: own.LEADER_ELECTION_TOPIC,
      sessionTimeoutMs,
      heartbeatIntervalMs,
      leaseMarginMs: Math.max(1_000, Math.floor(sessionTimeoutMs / 5)),
    },
    sources: {
      messagesTopic: own.LEADER_MESSAGES_TOPIC,
      dlqTopic: own.LEADER_DLQ_TOPIC,
      ingestGroupId: own.LEADER_INGEST_GROUP_ID,
      replayerGroupId: own.LEADER_REPLAYER_GROUP_ID,
    },
    kafka,
    mongo,
  };
}
