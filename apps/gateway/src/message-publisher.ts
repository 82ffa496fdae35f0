import type { Kafka, Producer } from 'kafkajs';
import { ACKS_ALL, keyPartitioner, TOPICS } from '@wiber/kafka';
import { CORRELATION_KAFKA_HEADER, type Logger } from '@wiber/observability';
import { RegistryCodec, schemas, type ChatMessage } from '@wiber/schema';
import { ProduceBatcher, type BatchLimits, type OutgoingRecord, type ProduceBatcherOptions } from './produce-batcher';
import { effectiveMaxBatchBytes, fetchTopicLimits } from './topic-limits';

/** Kafka or the registry cannot take the message now; the HTTP layer answers 503. */
export class PublishUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishUnavailableError';
  }
}

export interface PublisherOptions {
  kafka: Kafka;
  producer: Producer;
  codec: RegistryCodec;
  logger: Logger;
  timeoutMs: number;
  /** default wiber.messages */
  topic?: string;
  /** how records of concurrent requests are grouped into sends (one send per partition) */
  batching?: BatchLimits;
  onBatch?: ProduceBatcherOptions['onBatch'];
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { lingerMs: 0, maxBatchCount: 500, maxBatchBytes: 512 * 1024 };

/**
 * Writes ChatMessages to wiber.messages, or options.topic (key: conversationId, Avro value, acks=all).
 * Records of concurrent requests are batched, one send per partition (see ProduceBatcher).
 * Connecting to Kafka, reading the topic's partition count and registering the schema
 * happen in the background with retries, so the gateway starts, and stays up, while a
 * dependency is down.
 */
export class MessagePublisher {
  private connected = false;
  private schemaRegistered = false;
  private stopped = false;
  private batcher: ProduceBatcher | undefined;
  private readonly ready: Promise<void>;
  private readonly topic: string;

  constructor(private readonly options: PublisherOptions) {
    const { producer } = options;
    this.topic = options.topic ?? TOPICS.messages;
    producer.on(producer.events.CONNECT, () => {
      this.connected = true;
    });
    producer.on(producer.events.DISCONNECT, () => {
      this.connected = false;
      if (!this.stopped) void this.retry('kafka producer connect', () => producer.connect());
    });
    this.ready = Promise.all([
      this.retry('kafka producer connect', () => producer.connect()),
      this.retry('schema registration', async () => {
        await options.codec.registerValueSchema(this.topic, schemas().chatMessage);
        this.schemaRegistered = true;
      }),
      this.retry(`reading the partitions of ${this.topic}`, () => this.createBatcher()),
    ]).then(() => undefined);
  }

  /** Resolves once connected and registered (used by tests and start-up logs). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  isReady(): boolean {
    return this.connected && this.schemaRegistered && this.batcher !== undefined;
  }

  /** Resolves once every in-sync replica has the record; rejects with PublishUnavailableError otherwise. */
  async publish(message: ChatMessage, correlationId: string): Promise<{ partition: number; offset: string }> {
    if (!this.schemaRegistered) throw new PublishUnavailableError('the schema registry has not been reachable yet');
    if (!this.connected) throw new PublishUnavailableError('not connected to Kafka');
    const batcher = this.batcher;
    if (batcher === undefined) throw new PublishUnavailableError(`the partitions of ${this.topic} are not known yet`);
    const value = this.options.codec.encode(this.topic, schemas().chatMessage, message);
    const record: OutgoingRecord = { key: message.conversationId, value, headers: { [CORRELATION_KAFKA_HEADER]: correlationId } };
    return batcher.enqueue(record).catch((error: unknown) => {
      throw new PublishUnavailableError(`Kafka did not acknowledge the message: ${messageOf(error)}`, { cause: error });
    });
  }

  /** Sends what is queued, waits until every accepted record settled, then disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.batcher?.close();
    await this.options.producer.disconnect();
  }

  private async createBatcher(): Promise<void> {
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      const limits = await fetchTopicLimits(admin, this.topic);
      const configured = this.options.batching ?? DEFAULT_BATCH_LIMITS;
      const batching = { ...configured, maxBatchBytes: effectiveMaxBatchBytes(configured.maxBatchBytes, limits.maxMessageBytes) };
      this.batcher = new ProduceBatcher({
        limits: batching,
        timeoutMs: this.options.timeoutMs,
        partitionFor: keyPartitioner(this.topic, limits.partitions),
        send: (partition, records) => this.sendToPartition(partition, records),
        ...(this.options.onBatch !== undefined ? { onBatch: this.options.onBatch } : {}),
      });
      this.options.logger.info(`producing to ${this.topic}: ${limits.partitions} partitions, one send per partition`, { ...batching });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** One send() never spans partitions: kafkajs 2.2.4 may lose records of a multi-partition send when a leader dies mid-send (kafkajs#1303). */
  private async sendToPartition(partition: number, records: OutgoingRecord[]): Promise<string> {
    const metadata = await this.options.producer.send({
      topic: this.topic,
      acks: ACKS_ALL,
      timeout: this.options.timeoutMs,
      messages: records.map((record) => ({ ...record, partition })),
    });
    const ack = metadata.find((m) => m.partition === partition);
    if (ack?.baseOffset === undefined) throw new Error(`no acknowledgement for partition ${partition} in the produce response`);
    return ack.baseOffset;
  }

  private async retry(what: string, attempt: () => Promise<void>): Promise<void> {
    for (let delay = 500; !this.stopped; delay = Math.min(delay * 2, 10_000)) {
      try {
        await attempt();
        return;
      } catch (error) {
        this.options.logger.warn(`${what} failed, retrying in ${delay} ms`, { error: messageOf(error) });
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
