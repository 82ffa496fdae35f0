import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { CliError, EXIT } from './exit-codes';
import { connectAdmin, createCliKafka, partitionBounds, type PartitionRange } from './kafka-session';
import type { Settings } from './settings';

export interface DlqSession {
  kafka: Kafka;
  admin: Admin;
  /** low and high watermark of every DLQ partition when the command started */
  bounds: Map<number, { low: bigint; high: bigint }>;
  /** a consumer group of its own for reading without committing (deleted on close) */
  readerGroupId: string;
  close(): Promise<void>;
}

/** Connects (bounded by --timeout) and snapshots the DLQ's partition bounds. */
export async function openDlq(settings: Settings): Promise<DlqSession> {
  const kafka = createCliKafka(settings);
  const admin = await connectAdmin(kafka, settings);
  const readerGroupId = `wiber-dlq-reader-${randomUUID()}`;
  const close = async (): Promise<void> => {
    // the throwaway group never committed anything; deleting it only tidies the group list
    await admin.deleteGroups([readerGroupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  };
  try {
    const bounds = await partitionBounds(admin, settings.dlqTopic, settings);
    return { kafka, admin, bounds, readerGroupId, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** From each selected partition's start to its end; a partition the topic lacks is an error. */
export function selectRanges(
  session: Pick<DlqSession, 'bounds'>,
  topic: string,
  starts: ReadonlyMap<number, bigint> | 'low',
  partitions: readonly number[] | undefined,
): Map<number, PartitionRange> {
  const all = [...session.bounds.keys()].sort((a, b) => a - b);
  const missing = (partitions ?? []).filter((p) => !session.bounds.has(p));
  if (missing.length > 0) {
    throw new CliError(`${topic} has no partition ${missing.join(', ')} (it has ${all.length}: ${all.join(', ')})`, EXIT.notFound);
  }
  const ranges = new Map<number, PartitionRange>();
  for (const partition of partitions ?? all) {
    const bound = session.bounds.get(partition);
    if (bound === undefined) continue;
    const start = starts === 'low' ? bound.low : (starts.get(partition) ?? bound.low);
    ranges.set(partition, { start, end: bound.high });
  }
  return ranges;
}

/** Records between the starts and ends. */
export function recordsIn(ranges: ReadonlyMap<number, PartitionRange>): number {
  let total = 0n;
  for (const { start, end } of ranges.values()) if (end > start) total += end - start;
  return Number(total);
}
