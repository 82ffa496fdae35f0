import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from 'kafkajs';
import type { Db } from 'mongodb';
import { ACKS_ALL } from '@wiber/kafka';
import { MESSAGES_COLLECTION, MessageRepository, type MessageDocument } from '@wiber/mongo';
import { CpuMeter, stackProcesses, type CpuUsage, type WatchedProcesses } from './cpu';
import { byPartition, type BenchRecord } from './records';
import { sampleSum } from './metrics-text';
import { perSecond } from './stats';

/** Writes every record once (one send per partition at a time, `batchSize` records each). */
export async function produceAll(producer: Producer, topic: string, records: readonly BenchRecord[], batchSize: number): Promise<void> {
  await Promise.all(
    [...byPartition(records)].map(async ([partition, group]) => {
      for (let i = 0; i < group.length; i += batchSize) {
        await producer.send({
          topic,
          acks: ACKS_ALL,
          messages: group.slice(i, i + batchSize).map((r) => ({ key: r.key, value: r.value, headers: r.headers, partition })),
        });
      }
    }),
  );
}

export interface IngestWatchResult {
  documents: number;
  /** from the first poll that saw documents to the first that saw all of them */
  windowMs: number;
  perSecond: number;
  /** documents in the collection afterwards (one count, after the timing) */
  stored: number;
  cpu: CpuUsage;
}

/** Records the ingest-consumers have written (inserted or found already there), from their /metrics, added up. */
async function handled(metricsUrls: readonly string[]): Promise<number> {
  let total = 0;
  for (const url of metricsUrls) {
    const text = await (await fetch(url)).text();
    total += text
      .split('\n')
      .filter((line) => line.startsWith('wiber_ingest_messages_total{') && /result="(inserted|duplicate)"/.test(line))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  }
  return total;
}

/** Partitions assigned to each ingest-consumer (its wiber_ingest_assigned_partitions gauge). */
export async function assignedPartitions(metricsUrls: readonly string[]): Promise<number[]> {
  return Promise.all(metricsUrls.map(async (url) => sampleSum(await (await fetch(url)).text(), 'wiber_ingest_assigned_partitions')));
}

/** True when `partitions` are spread over every instance (each has at least one, none twice). */
export function assignmentSettled(assigned: readonly number[], partitions: number): boolean {
  return assigned.length > 0 && assigned.every((n) => n >= 1) && assigned.reduce((sum, n) => sum + n, 0) === partitions;
}

/**
 * Polls the ingest-consumers' own counters (cheap: counting documents would make FerretDB scan
 * the collection and slow the writes it measures) until `expected` records are written; the
 * rate is taken over the window from the first poll where `startWhen` holds (by default: some
 * records written) to the first that saw all of them. Then counts the documents once.
 */
export async function watchIngest(
  metricsUrls: readonly string[],
  db: Db,
  expected: number,
  cpuOf: WatchedProcesses,
  startWhen: (count: number) => Promise<boolean> = (count) => Promise.resolve(count > 0),
  pollMs = 100,
  timeoutMs = 300_000,
): Promise<IngestWatchResult> {
  const deadline = performance.now() + timeoutMs;
  let first: { at: number; count: number } | undefined;
  let cpu: CpuMeter | undefined;
  for (;;) {
    const count = await handled(metricsUrls);
    const at = performance.now();
    if (first === undefined && count < expected && (await startWhen(count))) {
      first = { at, count };
      cpu = new CpuMeter(cpuOf).start();
    }
    if (count >= expected) {
      const usage = cpu?.stop() ?? new CpuMeter({}).start().stop();
      const stored = await db.collection(MESSAGES_COLLECTION).countDocuments({});
      // all written before the window could open: no rate to report
      if (first === undefined) return { documents: 0, windowMs: 0, perSecond: Number.NaN, stored, cpu: usage };
      const windowMs = at - first.at;
      return { documents: count - first.count, windowMs, perSecond: perSecond(count - first.count, windowMs), stored, cpu: usage };
    }
    if (at > deadline) throw new Error(`only ${count} of ${expected} records written after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
}

/** The documents the ingest-consumer stores for these records (its mapping, Kafka coordinates included). */
export function toDocuments(records: readonly BenchRecord[], topic: string): MessageDocument[] {
  const offsets = new Map<number, number>();
  return records.map((r) => {
    const offset = offsets.get(r.partition) ?? 0;
    offsets.set(r.partition, offset + 1);
    return {
      ...r.message,
      sentAt: new Date(r.message.sentAt),
      kafka: { topic, partition: r.partition, offset: String(offset) },
      storedAt: new Date(),
    };
  });
}

export interface MongoCeilingResult {
  documents: number;
  chunk: number;
  elapsedMs: number;
  perSecond: number;
  cpu: CpuUsage;
}

/** Bare bulk insert of the same documents into a fresh collection with the same indexes: unordered insertMany, `chunk` per call, one call at a time. */
export async function runMongoCeiling(db: Db, documents: readonly MessageDocument[], chunk: number): Promise<MongoCeilingResult> {
  const repository = new MessageRepository(db);
  await repository.ensureIndexes();
  const collection = db.collection<MessageDocument>(MESSAGES_COLLECTION);
  const copies = documents.map((d) => ({ ...d }));
  const cpu = new CpuMeter({ bench: process.pid, ...stackProcesses() }).start();
  const started = performance.now();
  for (let i = 0; i < copies.length; i += chunk) await collection.insertMany(copies.slice(i, i + chunk), { ordered: false });
  const elapsedMs = performance.now() - started;
  return { documents: copies.length, chunk, elapsedMs, perSecond: perSecond(copies.length, elapsedMs), cpu: cpu.stop() };
}
