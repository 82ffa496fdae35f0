import type { Admin, Kafka, Producer } from 'kafkajs';
import {
  ACKS_ALL,
  createKafka,
  createProducer,
  ensureTopics,
  loadKafkaConfig,
  MetricsSnapshotReader,
  TOPIC_SPECS,
  TOPICS,
  type LoggerLike,
  type SnapshotDecision,
} from '@wiber/kafka';
import { RegistryCodec, schemas, type MetricsSnapshot } from '@wiber/schema';
import { BROKERS, SCHEMA_REGISTRY_URL } from '@wiber/testing';
import type { TestNames } from './environment';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

function spec(name: string, shapeOf: string) {
  const known = TOPIC_SPECS.find((s) => s.name === shapeOf);
  if (known === undefined) throw new Error(`no spec for ${shapeOf}`);
  return { ...known, name };
}

export interface TimedDecision extends SnapshotDecision {
  /** when the reader decided (ms since epoch) */
  at: number;
}

/** One test's private topics, a producer and admin on them, and a MetricsSnapshotReader of its metrics topic. */
export class KafkaFixture {
  readonly kafka: Kafka;
  readonly codec = new RegistryCodec({ url: SCHEMA_REGISTRY_URL });
  readonly decisions: TimedDecision[] = [];
  private producerClient: Producer | undefined;
  private adminClient: Admin | undefined;
  private reader: MetricsSnapshotReader | undefined;

  constructor(readonly names: TestNames) {
    this.kafka = createKafka(loadKafkaConfig('leader-metrics-int-test', { KAFKA_BROKERS: BROKERS, SCHEMA_REGISTRY_URL }), quiet);
  }

  get producer(): Producer {
    if (this.producerClient === undefined) throw new Error('call setUp first');
    return this.producerClient;
  }

  get admin(): Admin {
    if (this.adminClient === undefined) throw new Error('call setUp first');
    return this.adminClient;
  }

  /** Creates the election (1 partition, RF 3), metrics, messages and DLQ topics with the design's shapes. */
  async setUp(): Promise<void> {
    const { names } = this;
    await ensureTopics(this.kafka, [
      spec(names.electionTopic, TOPICS.leaderElection),
      spec(names.metricsTopic, TOPICS.metrics),
      spec(names.messagesTopic, TOPICS.messages),
      spec(names.dlqTopic, TOPICS.messagesDlq),
    ]);
    await this.codec.registerValueSchema(names.metricsTopic, schemas().metricsSnapshot);
    await this.codec.registerValueSchema(names.messagesTopic, schemas().chatMessage);
    this.producerClient = createProducer(this.kafka);
    await this.producerClient.connect();
    this.adminClient = this.kafka.admin();
    await this.adminClient.connect();
  }

  /** Follows the metrics topic as the gateway will, recording every decision with its time. */
  async startReader(): Promise<MetricsSnapshotReader> {
    this.reader = new MetricsSnapshotReader({
      kafka: this.kafka,
      codec: new RegistryCodec({ url: SCHEMA_REGISTRY_URL }),
      logger: quiet,
      topic: this.names.metricsTopic,
      groupIdPrefix: `${this.names.groupId}-reader`,
      onDecision: (decision) => this.decisions.push({ ...decision, at: Date.now() }),
    });
    await this.reader.start();
    return this.reader;
  }

  /** Writes a snapshot to the metrics topic as if some instance had published it. */
  async publishSnapshot(snapshot: MetricsSnapshot): Promise<void> {
    await this.producer.send({
      topic: this.names.metricsTopic,
      acks: ACKS_ALL,
      messages: [{ key: 'snapshot', value: this.codec.encode(this.names.metricsTopic, schemas().metricsSnapshot, snapshot) }],
    });
  }

  /** High watermark per partition. */
  async ends(topic: string): Promise<Map<number, number>> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  }

  async tearDown(): Promise<void> {
    const { names } = this;
    await this.reader?.stop().catch(() => undefined);
    await this.producerClient?.disconnect().catch(() => undefined);
    if (this.adminClient !== undefined) {
      // one at a time: a group that never existed fails the whole request
      for (const group of [names.groupId, names.ingestGroupId, names.replayerGroupId]) {
        await this.adminClient.deleteGroups([group]).catch(() => undefined);
      }
      await this.adminClient
        .deleteTopics({ topics: [names.electionTopic, names.metricsTopic, names.messagesTopic, names.dlqTopic] })
        .catch(() => undefined);
      await this.adminClient.disconnect();
    }
  }
}
