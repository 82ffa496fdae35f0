import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { schemas, UndecodableValueError, type AvroSchemaDefinition, type MetricsSnapshot } from '@wiber/schema';
import { createConsumer, type LoggerLike } from './clients';
import { DEFAULT_EPOCH_RESET_AFTER_MS, judgeSnapshot, type SnapshotFence, type SnapshotVerdict } from './snapshot-fence';
import { TOPICS } from './topics';

/** The part of RegistryCodec the reader needs. */
export interface SnapshotDecoder {
  decode<T>(value: Buffer, reader: AvroSchemaDefinition): Promise<T>;
}

export interface SnapshotDecision {
  verdict: SnapshotVerdict;
  snapshot: MetricsSnapshot;
  /** highest epoch seen after this decision */
  highestEpoch: number;
  /** Kafka coordinates, when the snapshot came from the topic */
  partition?: number;
  offset?: string;
}

export interface MetricsSnapshotReaderOptions {
  kafka: Kafka;
  codec: SnapshotDecoder;
  logger: LoggerLike;
  /** default `wiber.metrics` */
  topic?: string;
  /**
   * Every reader needs every snapshot, so each joins its own consumer group
   * `<prefix>.<uuid>`. It never commits offsets, so the coordinator removes the empty group
   * by itself after the reader stops. Default `wiber.metrics-reader`.
   */
  groupIdPrefix?: string;
  /** see judgeSnapshot; default 120 s */
  epochResetAfterMs?: number;
  /** called for every decoded snapshot with what was decided (for logs, metrics, tests) */
  onDecision?: (decision: SnapshotDecision) => void;
}

export interface SnapshotReaderStats {
  accepted: number;
  rejected: number;
  undecodable: number;
}

/**
 * Follows `wiber.metrics` from its beginning (a compacted topic with one key) and keeps the
 * newest snapshot that passes the epoch rule. For the gateway's `GET /stats`: `latest()`.
 */
export class MetricsSnapshotReader {
  private readonly topic: string;
  private readonly groupId: string;
  private readonly epochResetAfterMs: number;
  private fence: SnapshotFence | undefined;
  private consumer: Consumer | undefined;
  private joined = false;
  private receivedAt: number | undefined;
  private readonly counts: SnapshotReaderStats = { accepted: 0, rejected: 0, undecodable: 0 };

  constructor(private readonly options: MetricsSnapshotReaderOptions) {
    this.topic = options.topic ?? TOPICS.metrics;
    this.groupId = `${options.groupIdPrefix ?? 'wiber.metrics-reader'}.${randomUUID()}`;
    this.epochResetAfterMs = options.epochResetAfterMs ?? DEFAULT_EPOCH_RESET_AFTER_MS;
  }

  /** Connects and starts following the topic; resolves once consuming has started (not caught up). */
  async start(): Promise<void> {
    if (this.consumer !== undefined) return;
    const consumer = createConsumer(this.options.kafka, this.groupId, {
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
      // a new snapshot is seen at most this long after it was written
      maxWaitTimeInMs: 1_000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    consumer.on(consumer.events.STOP, () => {
      this.joined = false;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      this.options.logger.error('metrics snapshot reader crashed', { error: payload.error.message, restart: payload.restart });
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (message.value === null) return;
        const snapshot = await this.decode(message.value, partition, message.offset);
        if (snapshot !== undefined) this.offer(snapshot, { partition, offset: message.offset });
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.joined = false;
    if (consumer !== undefined) await consumer.disconnect();
  }

  /** The newest accepted snapshot, or undefined before the first one. */
  latest(): MetricsSnapshot | undefined {
    return this.fence?.latest;
  }

  /** When the newest accepted snapshot was received (ms since epoch). */
  latestReceivedAt(): number | undefined {
    return this.receivedAt;
  }

  highestEpoch(): number | undefined {
    return this.fence?.highestEpoch;
  }

  stats(): SnapshotReaderStats {
    return { ...this.counts };
  }

  /** True while the reader is a member of its group (for readiness checks). */
  isJoined(): boolean {
    return this.joined;
  }

  /** Applies the epoch rule to one snapshot; the topic's records go through here. */
  offer(snapshot: MetricsSnapshot, from: { partition?: number; offset?: string } = {}): SnapshotVerdict {
    const { verdict, fence } = judgeSnapshot(this.fence, snapshot, this.epochResetAfterMs);
    this.fence = fence;
    if (verdict === 'stale-epoch') {
      this.counts.rejected += 1;
      this.options.logger.warn('ignored a metrics snapshot from a superseded leader', {
        epoch: snapshot.epoch,
        highestEpoch: fence.highestEpoch,
        leaderId: snapshot.leaderId,
        offset: from.offset,
      });
    } else {
      this.counts.accepted += 1;
      this.receivedAt = Date.now();
      if (verdict === 'epoch-reset') {
        this.options.logger.warn('accepted a lower epoch: the election group was recreated', {
          epoch: snapshot.epoch,
          leaderId: snapshot.leaderId,
        });
      }
    }
    this.options.onDecision?.({ verdict, snapshot, highestEpoch: fence.highestEpoch, ...from });
    return verdict;
  }

  private async decode(value: Buffer, partition: number, offset: string): Promise<MetricsSnapshot | undefined> {
    try {
      return plainSnapshot(await this.options.codec.decode<MetricsSnapshot>(value, schemas().metricsSnapshot));
    } catch (error) {
      // a registry outage is thrown on, so kafkajs retries the record; garbage is skipped
      if (!(error instanceof UndecodableValueError)) throw error;
      this.counts.undecodable += 1;
      this.options.logger.warn('skipped an undecodable value on the metrics topic', {
        topic: this.topic,
        partition,
        offset,
        reason: error.reason,
      });
      return undefined;
    }
  }
}

/** avsc decodes records into instances of generated classes; callers get plain data. */
export function plainSnapshot(decoded: MetricsSnapshot): MetricsSnapshot {
  return {
    leaderId: decoded.leaderId,
    epoch: decoded.epoch,
    generatedAt: decoded.generatedAt,
    windowSeconds: decoded.windowSeconds,
    messagesPerMinute: decoded.messagesPerMinute,
    messagesPerMinuteByPartition: decoded.messagesPerMinuteByPartition.map(({ partition, perMinute }) => ({ partition, perMinute })),
    activeConversations: decoded.activeConversations,
    activeUsers: decoded.activeUsers,
    consumerLag: decoded.consumerLag.map(({ group, topic, partition, lag }) => ({ group, topic, partition, lag })),
    dlqDepth: decoded.dlqDepth,
  };
}
