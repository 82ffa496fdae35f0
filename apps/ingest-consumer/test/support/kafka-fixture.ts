import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { ACKS_ALL, createKafka, createProducer, ensureTopics, loadKafkaConfig, type LoggerLike } from '@wiber/kafka';
import { CORRELATION_KAFKA_HEADER } from '@wiber/observability';
import { conversationIdOf, RegistryCodec, schemas, type ChatMessage } from '@wiber/schema';
import { BROKERS, SCHEMA_REGISTRY_URL } from '@wiber/testing';
import { readTopic, type ReadRecord } from './topic-reader';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];

/** `count` valid messages over several conversations, in send order. */
export function chatMessages(count: number, label = 'msg'): ChatMessage[] {
  const start = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const fromUser = USERS[i % USERS.length] ?? 'alice';
    const toUser = USERS[(i + 1 + Math.floor(i / USERS.length)) % USERS.length] ?? 'bob';
    const to = toUser === fromUser ? 'zoe' : toUser;
    return {
      messageId: randomUUID(),
      conversationId: conversationIdOf(fromUser, to),
      fromUser,
      toUser: to,
      content: `${label} ${i}`,
      sentAt: start + i,
      clientMessageId: null,
    };
  });
}

export interface ProducedRecord {
  key: string;
  value: Buffer | null;
  correlationId: string;
}

/** Produces Avro ChatMessages (registry wire format) to a test topic, as the gateway does. */
export class KafkaFixture {
  readonly kafka: Kafka;
  private readonly codec = new RegistryCodec({ url: SCHEMA_REGISTRY_URL });
  private producer: Producer | undefined;
  private admin: Admin | undefined;

  /** `dlqTopic` (created by the service) is deleted with the topic on tearDown */
  constructor(
    readonly topic: string,
    readonly dlqTopic?: string,
  ) {
    this.kafka = createKafka(loadKafkaConfig('ingest-int-test', { KAFKA_BROKERS: BROKERS, SCHEMA_REGISTRY_URL }), quiet);
  }

  async setUp(partitions = 6): Promise<void> {
    await ensureTopics(this.kafka, [{ name: this.topic, partitions, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]);
    await this.codec.registerValueSchema(this.topic, schemas().chatMessage);
    this.producer = createProducer(this.kafka);
    await this.producer.connect();
    this.admin = this.kafka.admin();
    await this.admin.connect();
  }

  encode(message: ChatMessage): ProducedRecord {
    return {
      key: message.conversationId,
      value: this.codec.encode(this.topic, schemas().chatMessage, message),
      correlationId: `test-${message.messageId}`,
    };
  }

  async send(records: ProducedRecord[]): Promise<void> {
    if (this.producer === undefined) throw new Error('call setUp first');
    for (let start = 0; start < records.length; start += 500) {
      await this.producer.send({
        topic: this.topic,
        acks: ACKS_ALL,
        messages: records.slice(start, start + 500).map((r) => ({
          key: r.key,
          value: r.value,
          headers: { [CORRELATION_KAFKA_HEADER]: r.correlationId },
        })),
      });
    }
  }

  async sendMessages(messages: ChatMessage[]): Promise<void> {
    await this.send(messages.map((m) => this.encode(m)));
  }

  /** Committed offset (next to read) per partition; partitions without a commit are left out. */
  async committedOffsets(groupId: string): Promise<Map<number, number>> {
    if (this.admin === undefined) throw new Error('call setUp first');
    const [topic] = await this.admin.fetchOffsets({ groupId, topics: [this.topic] });
    const committed = new Map<number, number>();
    for (const p of topic?.partitions ?? []) if (Number(p.offset) >= 0) committed.set(p.partition, Number(p.offset));
    return committed;
  }

  async totalCommitted(groupId: string): Promise<number> {
    let sum = 0;
    for (const offset of (await this.committedOffsets(groupId)).values()) sum += offset;
    return sum;
  }

  /** Every record of the dead-letter topic so far. */
  deadLetters(): Promise<ReadRecord[]> {
    if (this.dlqTopic === undefined) throw new Error('no DLQ topic given');
    return readTopic(this.kafka, this.dlqTopic);
  }

  /** High watermark per partition. */
  async endOffsets(): Promise<Map<number, number>> {
    if (this.admin === undefined) throw new Error('call setUp first');
    const offsets = await this.admin.fetchTopicOffsets(this.topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  }

  async tearDown(groupId?: string): Promise<void> {
    await this.producer?.disconnect();
    if (this.admin !== undefined) {
      if (groupId !== undefined) await this.admin.deleteGroups([groupId]).catch(() => undefined);
      const topics = this.dlqTopic === undefined ? [this.topic] : [this.topic, this.dlqTopic];
      await this.admin.deleteTopics({ topics }).catch(() => undefined);
      await this.admin.disconnect();
    }
  }
}
