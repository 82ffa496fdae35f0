import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { ACKS_ALL, createConsumer, createKafka, createProducer, ensureTopics, loadKafkaConfig, type LoggerLike } from '@wiber/kafka';
import { kafkaComponent } from '../src/components/kafka';
import { stackPaths } from '../src/paths';
import { runningPid, signalProcess, startProcess } from '../src/processes';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
const paths = stackPaths();

async function restartIfDown(name: string): Promise<void> {
  if ((await runningPid(paths, name)) !== undefined) return;
  const spec = kafkaComponent.processes(paths).find((p) => p.name === name);
  if (spec === undefined) throw new Error(`no process ${name}`);
  await startProcess(paths, spec);
  await kafkaComponent.waitHealthy(paths, 120_000);
}

describe('a broker killed with kill -9 loses nothing acknowledged (RF 3, min ISR 2, acks=all)', () => {
  let kafka: Kafka;
  let victim = '';

  beforeAll(() => {
    kafka = createKafka(loadKafkaConfig('broker-failure-test'), quiet);
  });

  afterAll(async () => {
    if (victim !== '') await restartIfDown(victim);
  }, 150_000);

  it('keeps accepting acks=all writes with one broker down and every acknowledged record is readable', async () => {
    const topic = `test.failover.${randomUUID().slice(0, 8)}`;
    await ensureTopics(kafka, [{ name: topic, partitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]);
    const admin = kafka.admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    const leaderOfPartition0 = metadata.topics[0]?.partitions.find((p) => p.partitionId === 0)?.leader;
    victim = `kafka-${leaderOfPartition0}`;

    const producer = createProducer(kafka);
    await producer.connect();
    const acknowledged: string[] = [];
    const send = async (from: number, count: number): Promise<void> => {
      for (let i = from; i < from + count; i++) {
        const value = `record-${i}`;
        await producer.send({ topic, acks: ACKS_ALL, messages: [{ key: `k-${i % 7}`, value }] });
        acknowledged.push(value);
      }
    };

    await send(0, 50);
    await signalProcess(paths, victim, 'SIGKILL');
    // the producer must find the new partition leaders by itself
    await send(50, 100);
    expect(acknowledged).toHaveLength(150);

    await restartIfDown(victim);
    await send(150, 50);
    await producer.disconnect();

    const consumer = createConsumer(kafka, `failover-check-${randomUUID().slice(0, 8)}`);
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read back ${seen.length} of ${acknowledged.length}`)), 60_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.push(message.value?.toString() ?? '');
            if (seen.length >= acknowledged.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();

    const missing = acknowledged.filter((value) => !seen.includes(value));
    expect(missing).toEqual([]);
    expect(new Set(seen).size).toBe(seen.length); // idempotent producer: no duplicates from retries
  }, 240_000);
});
