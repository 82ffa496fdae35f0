import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { RegistryCodec, schemas, type MetricsSnapshot } from '@wiber/schema';
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
} from '../src';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

async function waitFor(description: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('MetricsSnapshotReader on the local cluster and registry', () => {
  const config = loadKafkaConfig('snapshot-reader-int-test');
  const codec = new RegistryCodec({ url: config.schemaRegistryUrl });
  const topic = `test.metrics.${randomUUID().slice(0, 8)}`;
  const readers: MetricsSnapshotReader[] = [];
  let kafka: Kafka;
  let producer: Producer;
  let admin: Admin;

  const snapshot = (epoch: number, leaderId: string, messagesPerMinute: number): MetricsSnapshot => ({
    leaderId,
    epoch,
    generatedAt: Date.now(),
    windowSeconds: 60,
    messagesPerMinute,
    messagesPerMinuteByPartition: [{ partition: 0, perMinute: messagesPerMinute }],
    activeConversations: 1,
    activeUsers: 2,
    consumerLag: [{ group: 'wiber.ingest', topic: 'wiber.messages', partition: 0, lag: 0 }],
    dlqDepth: 0,
  });
  const send = async (values: Buffer[]): Promise<void> => {
    await producer.send({ topic, acks: ACKS_ALL, messages: values.map((value) => ({ key: 'snapshot', value })) });
  };
  const encode = (s: MetricsSnapshot): Buffer => codec.encode(topic, schemas().metricsSnapshot, s);
  const startReader = async (decisions: SnapshotDecision[]): Promise<MetricsSnapshotReader> => {
    const reader = new MetricsSnapshotReader({ kafka, codec: new RegistryCodec({ url: config.schemaRegistryUrl }), logger: quiet, topic, onDecision: (d) => decisions.push(d) });
    readers.push(reader);
    await reader.start();
    return reader;
  };

  beforeAll(async () => {
    kafka = createKafka(config, quiet);
    const metricsSpec = TOPIC_SPECS.find((spec) => spec.name === TOPICS.metrics);
    if (metricsSpec === undefined) throw new Error('no spec for the metrics topic');
    await ensureTopics(kafka, [{ ...metricsSpec, name: topic }]);
    await codec.registerValueSchema(topic, schemas().metricsSnapshot);
    producer = createProducer(kafka);
    await producer.connect();
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    for (const reader of readers) await reader.stop().catch(() => undefined);
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('reads from the beginning, ignores stale epochs and garbage, and follows new snapshots live', async () => {
    await send([
      encode(snapshot(3, 'lm-a', 10)),
      encode(snapshot(3, 'lm-a', 11)),
      encode(snapshot(5, 'lm-b', 12)),
      encode(snapshot(4, 'lm-a', 999)), // the old leader, frozen and resumed
      Buffer.from('not a wire-format value'),
      encode(snapshot(5, 'lm-b', 13)),
    ]);
    const decisions: SnapshotDecision[] = [];
    const reader = await startReader(decisions);
    await waitFor('the six records to be read', () => decisions.length + reader.stats().undecodable === 6);
    expect(decisions.map((d) => [d.snapshot.epoch, d.verdict])).toEqual([
      [3, 'accepted'],
      [3, 'accepted'],
      [5, 'accepted'],
      [4, 'stale-epoch'],
      [5, 'accepted'],
    ]);
    expect(reader.stats()).toEqual({ accepted: 4, rejected: 1, undecodable: 1 });
    expect(reader.latest()).toMatchObject({ epoch: 5, leaderId: 'lm-b', messagesPerMinute: 13 });
    expect(reader.isJoined()).toBe(true);

    // plain data (avsc would hand out instances of its generated record classes)
    const latest = reader.latest();
    expect(latest !== undefined && Object.getPrototypeOf(latest)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(latest))).toEqual(latest);

    const live = snapshot(6, 'lm-c', 14);
    await send([encode(live), encode(snapshot(5, 'lm-b', 998))]);
    await waitFor('the live records', () => decisions.length === 7);
    expect(reader.latest()).toEqual(live);
    expect(decisions[6]?.verdict).toBe('stale-epoch');

    // another process (say a second gateway) starting later reaches the same answer
    const laterDecisions: SnapshotDecision[] = [];
    const later = await startReader(laterDecisions);
    await waitFor('the second reader to catch up', () => laterDecisions.length === 7);
    expect(later.latest()).toEqual(reader.latest());
  }, 60_000);
});
