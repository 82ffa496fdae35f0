import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import {
  ACKS_ALL,
  createConsumer,
  createKafka,
  createProducer,
  ensureTopics,
  loadKafkaConfig,
  TOPIC_SPECS,
  type LoggerLike,
} from '../src';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

describe('Kafka factories on the local 3-broker cluster', () => {
  let kafka: Kafka;
  const cleanups: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  });

  beforeAll(async () => {
    kafka = createKafka(loadKafkaConfig('kafka-int-test'), quiet);
    const admin = kafka.admin();
    await admin.connect().catch((error: Error) => {
      throw new Error(`${error.message} — is the local stack up? (npm run stack -- up)`);
    });
    await admin.disconnect();
  });

  it('ensureTopics creates the design topics with RF 3 and min ISR 2, and is idempotent', async () => {
    await ensureTopics(kafka, TOPIC_SPECS);
    const again = await ensureTopics(kafka, TOPIC_SPECS);
    expect(again.created).toEqual([]);
    expect(again.existing.sort()).toEqual(TOPIC_SPECS.map((s) => s.name).sort());

    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: TOPIC_SPECS.map((s) => s.name) });
      for (const spec of TOPIC_SPECS) {
        const topic = metadata.topics.find((t) => t.name === spec.name);
        expect(topic?.partitions).toHaveLength(spec.partitions);
        for (const partition of topic?.partitions ?? []) expect(partition.replicas).toHaveLength(3);
      }
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: 'wiber.messages', configNames: ['min.insync.replicas'] }],
      });
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
    } finally {
      await admin.disconnect();
    }
  });

  it('produces with acks=all and consumes with manual commits; a restarted member resumes after the commit', async () => {
    const topic = `test.kafka.${randomUUID().slice(0, 8)}`;
    const groupId = `test-group-${randomUUID().slice(0, 8)}`;
    await ensureTopics(kafka, [{ name: topic, partitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]);

    const producer = createProducer(kafka);
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const values = Array.from({ length: 30 }, (_, i) => `m-${i}`);
    await producer.send({
      topic,
      acks: ACKS_ALL,
      messages: values.map((value, i) => ({ key: `k-${i % 5}`, value })),
    });

    const consumeUntil = async (count: number): Promise<string[]> => {
      const consumer = createConsumer(kafka, groupId, { sessionTimeout: 10000, heartbeatInterval: 1000 });
      const seen: string[] = [];
      cleanups.push(() => consumer.disconnect());
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`saw ${seen.length} of ${count}`)), 30000);
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch, resolveOffset }) => {
              for (const message of batch.messages) {
                seen.push(message.value?.toString() ?? '');
                resolveOffset(message.offset);
              }
              const last = batch.messages[batch.messages.length - 1];
              if (last !== undefined) {
                await consumer.commitOffsets([
                  { topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
                ]);
              }
              if (seen.length >= count) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
      await consumer.disconnect();
      return seen;
    };

    const first = await consumeUntil(values.length);
    expect(first.sort()).toEqual([...values].sort());

    // committed offsets equal the end of each partition: nothing is re-read
    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const c = committed[0]?.partitions.find((p) => p.partition === end.partition);
        // a partition that got no record has no commit (-1)
        expect(c?.offset).toBe(end.high === '0' ? '-1' : end.high);
      }
    } finally {
      await admin.disconnect();
    }

    await producer.send({ topic, acks: ACKS_ALL, messages: [{ key: 'k-0', value: 'after-restart' }] });
    const second = await consumeUntil(1);
    expect(second).toEqual(['after-restart']);
  }, 90000);
});
