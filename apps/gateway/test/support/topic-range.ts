import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import { createConsumer, createKafka, loadKafkaConfig, TOPICS, type LoggerLike } from '@wiber/kafka';
import { waitFor } from '@wiber/testing';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** Next offset to be written, per partition. */
export type Offsets = Map<number, bigint>;

export interface RangeRecord {
  partition: number;
  offset: bigint;
  value: Buffer | null;
  headers: IHeaders;
}

/**
 * The end of each partition of `topic` now. Tests read or consume from here rather than
 * from the beginning: the shared local stack's topics keep days of other runs' records.
 */
export async function endOffsets(topic: string = TOPICS.messages): Promise<Offsets> {
  const admin = createKafka(loadKafkaConfig('gateway-test-offsets'), quiet).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** Commits the current end of `topic` for a group that has not consumed yet, so it starts there. */
export async function startGroupAtEnd(groupId: string, topic: string = TOPICS.messages): Promise<void> {
  const ends = await endOffsets(topic);
  const admin = createKafka(loadKafkaConfig('gateway-test-offsets'), quiet).admin();
  await admin.connect();
  try {
    await admin.setOffsets({ groupId, topic, partitions: [...ends].map(([partition, offset]) => ({ partition, offset: offset.toString() })) });
  } finally {
    await admin.disconnect();
  }
}

/** Every record of `topic` in [from, to) per partition. */
export async function readRange(from: Offsets, to: Offsets, topic: string = TOPICS.messages): Promise<RangeRecord[]> {
  const consumer = createConsumer(createKafka(loadKafkaConfig('gateway-test-range'), quiet), `test-gw-range-${randomUUID().slice(0, 8)}`);
  const wanted = [...to].filter(([partition, end]) => end > (from.get(partition) ?? 0n));
  const reached = new Map<number, bigint>();
  const records: RangeRecord[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const offset = BigInt(message.offset);
        if (offset >= (from.get(partition) ?? 0n) && offset < (to.get(partition) ?? 0n)) {
          records.push({ partition, offset, value: message.value, headers: message.headers ?? {} });
        }
        reached.set(partition, offset + 1n);
      },
    });
    for (const [partition] of wanted) consumer.seek({ topic, partition, offset: String(from.get(partition) ?? 0n) });
    await waitFor('the range to be read', async () => wanted.every(([partition, end]) => (reached.get(partition) ?? 0n) >= end), 60_000);
  } finally {
    await consumer.disconnect();
  }
  return records;
}
