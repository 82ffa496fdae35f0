import { randomUUID } from 'node:crypto';
import type { Admin, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { ACKS_ALL, createKafka, createProducer, DEAD_LETTER_HEADERS as H, ensureTopics, loadKafkaConfig, type LoggerLike } from '@wiber/kafka';
import { conversationIdOf, RegistryCodec, schemas, type ChatMessage } from '@wiber/schema';
import { BROKERS, SCHEMA_REGISTRY_URL } from '@wiber/testing';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** One test's topics, groups and database, so concurrent runs never share state. */
export interface TestNames {
  source: string;
  dlq: string;
  ingestGroup: string;
  replayerGroup: string;
  database: string;
}

export function uniqueNames(label: string): TestNames {
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  return {
    source: `test.dlq.${id}`,
    dlq: `test.dlq.${id}.dlq`,
    ingestGroup: `test-dlq-ingest-${id}`,
    replayerGroup: `test-dlq-replayer-${id}`,
    database: `wiber_test_dlq_${id.replace(/-/g, '_')}`,
  };
}

/** Environment for the CLI pointed at one test's DLQ and replayer group. */
export function cliEnv(names: TestNames, overrides: Record<string, string> = {}): Record<string, string> {
  return { KAFKA_BROKERS: BROKERS, SCHEMA_REGISTRY_URL, DLQ_TOPIC: names.dlq, DLQ_REPLAYER_GROUP_ID: names.replayerGroup, ...overrides };
}

export type ReadRecord = KafkaMessage & { partition: number };

export function header(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

export function chatMessage(i: number, label: string): ChatMessage {
  const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const fromUser = users[i % users.length] ?? 'alice';
  const toUser = users[(i + 1) % users.length] ?? 'bob';
  return { messageId: randomUUID(), conversationId: conversationIdOf(fromUser, toUser), fromUser, toUser, content: `${label} ${i}`, sentAt: Date.now() + i, clientMessageId: null };
}

/** A dead letter as the ingest-consumer writes it: original key/value/headers plus the wiber.dlq.* context. */
export interface CraftedDeadLetter {
  key: string | null;
  value: Buffer | null;
  headers?: IHeaders;
  reason: string;
  errorClass: string;
  errorMessage: string;
  sourcePartition?: number;
  sourceOffset?: number;
  /** the DLQ partition to write to (default: by key) */
  partition?: number;
}

/** Topics on the real cluster plus a producer and an admin: the world the CLI runs against. */
export class Stack {
  readonly kafka: Kafka = createKafka(loadKafkaConfig('dlq-int-test', { KAFKA_BROKERS: BROKERS, SCHEMA_REGISTRY_URL }), quiet);
  readonly codec = new RegistryCodec({ url: SCHEMA_REGISTRY_URL });
  private producer: Producer | undefined;
  private admin: Admin | undefined;

  constructor(readonly names: TestNames) {}

  async setUp(): Promise<void> {
    await ensureTopics(this.kafka, [
      { name: this.names.source, partitions: 6, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
      { name: this.names.dlq, partitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
    ]);
    await this.codec.registerValueSchema(this.names.source, schemas().chatMessage);
    this.producer = createProducer(this.kafka);
    await this.producer.connect();
    this.admin = this.kafka.admin();
    await this.admin.connect();
  }

  encode(message: ChatMessage): Buffer {
    return this.codec.encode(this.names.source, schemas().chatMessage, message);
  }

  /** One record per send (acks=all), in order. */
  async produce(topic: string, records: ReadonlyArray<{ key: string | null; value: Buffer | null; headers?: IHeaders; partition?: number }>): Promise<void> {
    if (this.producer === undefined) throw new Error('call setUp first');
    for (const record of records) {
      await this.producer.send({ topic, acks: ACKS_ALL, messages: [{ key: record.key, value: record.value, headers: record.headers, partition: record.partition }] });
    }
  }

  async produceDeadLetters(letters: readonly CraftedDeadLetter[]): Promise<void> {
    const at = new Date().toISOString();
    await this.produce(
      this.names.dlq,
      letters.map((letter, i) => ({
        key: letter.key,
        value: letter.value,
        partition: letter.partition,
        headers: {
          ...letter.headers,
          [H.topic]: this.names.source,
          [H.partition]: String(letter.sourcePartition ?? 0),
          [H.offset]: String(letter.sourceOffset ?? i),
          [H.timestamp]: at,
          [H.group]: this.names.ingestGroup,
          [H.reason]: letter.reason,
          [H.errorClass]: letter.errorClass,
          [H.errorMessage]: letter.errorMessage,
          [H.errorStack]: `${letter.errorClass}: ${letter.errorMessage}\n    at test (crafted)`,
          [H.attempts]: '1',
          [H.firstFailure]: at,
          [H.lastFailure]: at,
          [H.service]: 'ingest-consumer',
          [H.instance]: 'crafted',
        },
      })),
    );
  }

  /** Sum of the high watermarks: how many records the topic ever got. */
  async total(topic: string): Promise<number> {
    if (this.admin === undefined) throw new Error('call setUp first');
    return (await this.admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  }

  /** Committed offsets of `groupId` on `topic`, summed (0 when none). */
  async committed(groupId: string, topic: string): Promise<number> {
    if (this.admin === undefined) throw new Error('call setUp first');
    const [offsets] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  }

  /** Every record of `topic` so far, read by a throwaway group that commits nothing. */
  async read(topic: string): Promise<ReadRecord[]> {
    if (this.admin === undefined) throw new Error('call setUp first');
    const ends = new Map((await this.admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    const remaining = new Set([...ends].filter(([, end]) => end > 0).map(([partition]) => partition));
    const records: ReadRecord[] = [];
    if (remaining.size === 0) return records;
    const groupId = `test-reader-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} took over 30 s`)), 30_000);
        void consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = ends.get(batch.partition) ?? 0;
            for (const message of batch.messages) if (Number(message.offset) < end) records.push({ ...message, partition: batch.partition });
            if (Number(batch.lastOffset()) >= end - 1) remaining.delete(batch.partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
      await this.admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return records.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
  }

  async tearDown(): Promise<void> {
    await this.producer?.disconnect();
    if (this.admin !== undefined) {
      await this.admin.deleteGroups([this.names.ingestGroup, this.names.replayerGroup]).catch(() => undefined);
      await this.admin.deleteTopics({ topics: [this.names.source, this.names.dlq] }).catch(() => undefined);
      await this.admin.disconnect();
    }
  }
}
