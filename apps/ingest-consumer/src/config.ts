import { ConfigError, EnvError, makeValidator, nonEmptyStr, port, positiveInt, readEnv, str, topicName } from '@wiber/config';
import { CONSUMER_GROUPS, loadKafkaConfig, TOPICS, type KafkaConfig } from '@wiber/kafka';
import { loadMongoConfig, type MongoConfig } from '@wiber/mongo';
import { defaultInstanceId, type LogLevel } from '@wiber/observability';
import type { BackoffPolicy } from './backoff';

export const SERVICE_NAME = 'ingest-consumer';

export interface FetchSettings {
  /** the broker answers a fetch after at most this long, even with less than minBytes: the batch time bound */
  maxWaitTimeMs: number;
  /** the broker holds a fetch until this many bytes are ready (or maxWaitTimeMs passed) */
  minBytes: number;
  /** upper bound of one partition's batch in bytes (with INGEST_BATCH_SIZE, the batch size bound) */
  maxBytesPerPartition: number;
}

export interface IngestConfig {
  instanceId: string;
  logLevel: LogLevel;
  topic: string;
  /** where records that cannot be stored go, before their offsets are committed */
  dlqTopic: string;
  groupId: string;
  /** most documents per Mongo insertMany; a larger Kafka batch is written (and committed) in chunks */
  batchSize: number;
  /** listen address of /metrics and /health/*: 127.0.0.1 by default, 0.0.0.0 in a container */
  metricsHost: string;
  metricsPort: number;
  fetch: FetchSettings;
  /** how many partitions' batches are processed at the same time */
  partitionsConcurrency: number;
  /** a member silent for this long (crashed, kill -9) loses its partitions to the others */
  sessionTimeoutMs: number;
  retry: BackoffPolicy;
  /** further attempts for a record whose own failure may clear (unknown schema id...) before it is dead-lettered */
  recordRetries: number;
  recordRetry: BackoffPolicy;
  /** consecutive failed attempts after which the circuit is reported open */
  circuitOpenAfter: number;
  /** an insert not acknowledged within this long is treated as failed and retried */
  writeTimeoutMs: number;
  /** after SIGTERM, the process exits by force (non-zero) if a clean stop takes longer */
  shutdownTimeoutMs: number;
  kafka: KafkaConfig;
  mongo: MongoConfig;
}

/** A whole number >= 0 (0 turns a retry off). */
const nonNegativeInt = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(String(input).trim()) || !Number.isSafeInteger(value)) throw new EnvError('must be a whole number of at least 0');
  return value;
});

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/**
 * Reads and validates every variable the service uses. All problems (of Kafka, Mongo and
 * ingest variables alike) are reported together in one ConfigError.
 */
export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
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
  const ingest = collect(() =>
    readEnv(
      {
        INGEST_INSTANCE_ID: nonEmptyStr({ default: defaultInstanceId() }),
        LOG_LEVEL: str({ choices: LOG_LEVELS, default: 'info' }),
        INGEST_TOPIC: topicName({ default: TOPICS.messages }),
        INGEST_DLQ_TOPIC: topicName({ default: TOPICS.messagesDlq }),
        INGEST_GROUP_ID: nonEmptyStr({ default: CONSUMER_GROUPS.ingest }),
        INGEST_BATCH_SIZE: positiveInt({ default: 500 }),
        INGEST_METRICS_HOST: nonEmptyStr({ default: '127.0.0.1' }),
        INGEST_METRICS_PORT: port({ default: 9101 }),
        INGEST_FETCH_MAX_WAIT_MS: positiveInt({ default: 500 }),
        INGEST_FETCH_MIN_BYTES: positiveInt({ default: 1 }),
        INGEST_FETCH_MAX_BYTES_PER_PARTITION: positiveInt({ default: 1_048_576 }),
        INGEST_PARTITIONS_CONCURRENCY: positiveInt({ default: 1 }),
        INGEST_SESSION_TIMEOUT_MS: positiveInt({ default: 30_000 }),
        INGEST_RETRY_INITIAL_MS: positiveInt({ default: 200 }),
        INGEST_RETRY_MAX_MS: positiveInt({ default: 10_000 }),
        INGEST_RECORD_RETRIES: nonNegativeInt({ default: 3 }),
        INGEST_RECORD_RETRY_INITIAL_MS: positiveInt({ default: 500 }),
        INGEST_RECORD_RETRY_MAX_MS: positiveInt({ default: 5_000 }),
        INGEST_CIRCUIT_OPEN_AFTER: positiveInt({ default: 3 }),
        INGEST_WRITE_TIMEOUT_MS: positiveInt({ default: 5_000 }),
        INGEST_SHUTDOWN_TIMEOUT_MS: positiveInt({ default: 9_000 }),
      },
      env,
    ),
  );

  if (ingest !== undefined && ingest.INGEST_RETRY_MAX_MS < ingest.INGEST_RETRY_INITIAL_MS) {
    problems['INGEST_RETRY_MAX_MS'] =
      `is invalid (must be at least INGEST_RETRY_INITIAL_MS=${ingest.INGEST_RETRY_INITIAL_MS}; got "${ingest.INGEST_RETRY_MAX_MS}")`;
  }
  if (ingest !== undefined && ingest.INGEST_RECORD_RETRY_MAX_MS < ingest.INGEST_RECORD_RETRY_INITIAL_MS) {
    problems['INGEST_RECORD_RETRY_MAX_MS'] =
      `is invalid (must be at least INGEST_RECORD_RETRY_INITIAL_MS=${ingest.INGEST_RECORD_RETRY_INITIAL_MS}; got "${ingest.INGEST_RECORD_RETRY_MAX_MS}")`;
  }
  if (ingest !== undefined && ingest.INGEST_DLQ_TOPIC === ingest.INGEST_TOPIC) {
    problems['INGEST_DLQ_TOPIC'] = `is invalid (must differ from INGEST_TOPIC; got "${ingest.INGEST_DLQ_TOPIC}")`;
  }
  if (kafka === undefined || mongo === undefined || ingest === undefined || Object.keys(problems).length > 0) {
    throw new ConfigError(problems);
  }

  return {
    instanceId: ingest.INGEST_INSTANCE_ID,
    logLevel: ingest.LOG_LEVEL as LogLevel,
    topic: ingest.INGEST_TOPIC,
    dlqTopic: ingest.INGEST_DLQ_TOPIC,
    groupId: ingest.INGEST_GROUP_ID,
    batchSize: ingest.INGEST_BATCH_SIZE,
    metricsHost: ingest.INGEST_METRICS_HOST,
    metricsPort: ingest.INGEST_METRICS_PORT,
    fetch: {
      maxWaitTimeMs: ingest.INGEST_FETCH_MAX_WAIT_MS,
      minBytes: ingest.INGEST_FETCH_MIN_BYTES,
      maxBytesPerPartition: ingest.INGEST_FETCH_MAX_BYTES_PER_PARTITION,
    },
    partitionsConcurrency: ingest.INGEST_PARTITIONS_CONCURRENCY,
    sessionTimeoutMs: ingest.INGEST_SESSION_TIMEOUT_MS,
    retry: { initialDelayMs: ingest.INGEST_RETRY_INITIAL_MS, maxDelayMs: ingest.INGEST_RETRY_MAX_MS },
    recordRetries: ingest.INGEST_RECORD_RETRIES,
    recordRetry: { initialDelayMs: ingest.INGEST_RECORD_RETRY_INITIAL_MS, maxDelayMs: ingest.INGEST_RECORD_RETRY_MAX_MS },
    circuitOpenAfter: ingest.INGEST_CIRCUIT_OPEN_AFTER,
    writeTimeoutMs: ingest.INGEST_WRITE_TIMEOUT_MS,
    shutdownTimeoutMs: ingest.INGEST_SHUTDOWN_TIMEOUT_MS,
    kafka,
    mongo,
  };
}
