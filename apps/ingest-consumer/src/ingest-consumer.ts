import type { Consumer, Kafka } from 'kafkajs';
import { createConsumer, type LoggerLike } from '@wiber/kafka';
import { processBatch, type BatchProcessorDeps } from './batch-processor';
import type { FetchSettings } from './config';
import type { IngestMetrics } from './metrics';

export interface IngestConsumerOptions {
  kafka: Kafka;
  topic: string;
  groupId: string;
  fetch: FetchSettings;
  partitionsConcurrency: number;
  sessionTimeoutMs: number;
  processor: BatchProcessorDeps;
  metrics: IngestMetrics;
  logger: LoggerLike;
  /** kafkajs gave up on the consumer (a non-retriable error): the process should exit */
  onFatal: (error: Error) => void;
}

export interface IngestConsumer {
  /** connects, subscribes and starts consuming; resolves once the consumer runs */
  start(): Promise<void>;
  /** stops fetching, lets the in-flight batch finish or give up, leaves the group */
  stop(): Promise<void>;
  /** true while this member is in the group (for readiness) */
  isJoined(): boolean;
}

export function createIngestConsumer(options: IngestConsumerOptions): IngestConsumer {
  const { topic, logger, metrics } = options;
  // The batch time bound: a fetch returns once minBytes are ready or maxWaitTimeInMs has
  // passed, whichever is first, so a record waits at most about maxWaitTimeInMs before its
  // batch is processed. The size bound: maxBytesPerPartition here, INGEST_BATCH_SIZE per insert.
  const consumer: Consumer = createConsumer(options.kafka, options.groupId, {
    maxWaitTimeInMs: options.fetch.maxWaitTimeMs,
    minBytes: options.fetch.minBytes,
    maxBytesPerPartition: options.fetch.maxBytesPerPartition,
    sessionTimeout: options.sessionTimeoutMs,
    // kafkajs advises at most a third of the session timeout
    heartbeatInterval: Math.max(100, Math.min(3_000, Math.floor(options.sessionTimeoutMs / 3))),
  });
  let joined = false;

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joined = true;
    const partitions = payload.memberAssignment[topic] ?? [];
    metrics.assignedPartitions.set(partitions.length);
    // series of partitions this member no longer owns would otherwise linger with stale values
    metrics.committedOffset.reset();
    metrics.consumerLag.reset();
    logger.info('joined the consumer group', { groupId: payload.groupId, topic, partitions, memberId: payload.memberId });
  });
  consumer.on(consumer.events.REBALANCING, () => {
    logger.info('consumer group is rebalancing', { groupId: options.groupId });
  });
  consumer.on(consumer.events.STOP, () => {
    joined = false;
    metrics.assignedPartitions.set(0);
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joined = false;
    if (payload.restart) {
      logger.warn('consumer crashed; kafkajs restarts it', { error: payload.error.message });
    } else {
      logger.error('consumer crashed and will not restart', { error: payload.error.message });
      options.onFatal(payload.error);
    }
  });

  return {
    async start() {
      await consumer.connect();
      // a new group starts at the beginning: records produced before it existed are not skipped
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConcurrency,
        eachBatch: async (payload) => {
          await processBatch(payload, options.processor);
        },
      });
    },
    async stop() {
      // disconnect() stops the runner first: it waits for the in-flight eachBatch, then leaves the group
      await consumer.disconnect();
      joined = false;
    },
    isJoined: () => joined,
  };
}
