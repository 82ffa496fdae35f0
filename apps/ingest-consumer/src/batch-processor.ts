import type { Batch, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { LoggerLike } from '@wiber/kafka';
import type { BulkInsertResult, MessageDocument } from '@wiber/mongo';
import type { CircuitBreaker } from './circuit-breaker';
import type { IngestMetrics, RetriedOperation } from './metrics';
import { decodeRecords, unprocessableRecord, type ChatMessageDecoder, type StorableRecord } from './record-decoding';
import { retryWhileRunning, sleep as realSleep, withTimeout, type RetryOptions } from './retry';
import type { UnprocessableRecord, UnprocessableSink } from './unprocessable';

/** The part of kafkajs's eachBatch payload the processor uses. */
export type BatchPayload = Pick<
  EachBatchPayload,
  'resolveOffset' | 'heartbeat' | 'commitOffsetsIfNecessary' | 'isRunning' | 'isStale'
> & { batch: Pick<Batch, 'topic' | 'partition' | 'highWatermark' | 'messages' | 'isEmpty' | 'lastOffset'> };

/** The part of MessageRepository the processor uses. */
export interface MessageStore {
  insertMany(documents: MessageDocument[]): Promise<BulkInsertResult>;
}

export interface BatchProcessorDeps {
  decode: ChatMessageDecoder;
  store: MessageStore;
  sink: UnprocessableSink;
  breaker: CircuitBreaker;
  metrics: IngestMetrics;
  logger: LoggerLike;
  /** most documents per insertMany */
  batchSize: number;
  writeTimeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface BatchOutcome {
  /** records whose offsets were committed */
  committed: number;
  /** true when the batch was given up (shutdown, rebalance): the rest will be redelivered */
  abandoned: boolean;
}

/** Longest wait between two heartbeats (and two checks for shutdown or rebalance) while backing off. */
const PAUSE_SLICE_MS = 500;

export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * One partition's batch: in chunks of at most `batchSize` records, decode, insert, hand the
 * unprocessable ones to the sink, then commit the chunk's offsets. Nothing is committed for a
 * chunk until all of that is acknowledged, so a chunk abandoned halfway (shutdown, rebalance,
 * an outage outlasting the assignment) is redelivered whole; Mongo's unique messageId makes
 * the redelivery harmless.
 */
export async function processBatch(payload: BatchPayload, deps: BatchProcessorDeps): Promise<BatchOutcome> {
  if (payload.batch.messages.length === 0) {
    await skipFilteredBatch(payload, deps.metrics);
    return { committed: 0, abandoned: false };
  }
  let committed = 0;
  for (const chunk of chunksOf(payload.batch.messages, deps.batchSize)) {
    if (!isCurrent(payload)) return { committed, abandoned: true };
    const written = await writeChunk(chunk, payload, deps);
    if (!written) {
      deps.logger.info('abandoned a batch before writing it; it will be redelivered', {
        topic: payload.batch.topic,
        partition: payload.batch.partition,
        firstOffset: chunk[0]?.offset,
        lastOffset: chunk[chunk.length - 1]?.offset,
      });
      return { committed, abandoned: true };
    }
    await commitChunk(chunk, payload, deps.metrics);
    committed += chunk.length;
    await payload.heartbeat();
  }
  return { committed, abandoned: false };
}

function isCurrent(payload: BatchPayload): boolean {
  return payload.isRunning() && !payload.isStale();
}

/** Returns false when the chunk was abandoned before everything in it was acknowledged. */
async function writeChunk(chunk: KafkaMessage[], payload: BatchPayload, deps: BatchProcessorDeps): Promise<boolean> {
  const { topic, partition } = payload.batch;
  const retryOptions = (operation: RetriedOperation): RetryOptions => ({
    breaker: deps.breaker,
    shouldContinue: () => isCurrent(payload),
    pause: (ms) => pauseWithHeartbeat(ms, payload, deps.sleep ?? realSleep),
    now: deps.now,
    onRetry: (error, delayMs, consecutiveFailures) => {
      deps.metrics.retries.inc({ operation });
      deps.logger.warn(`${operation} failed; retrying in ${delayMs} ms without committing`, {
        topic,
        partition,
        firstOffset: chunk[0]?.offset,
        lastOffset: chunk[chunk.length - 1]?.offset,
        consecutiveFailures,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    },
  });

  const decoded = await retryWhileRunning(() => decodeRecords(chunk, { topic, partition }, deps.decode), retryOptions('decode'));
  if (!decoded.completed) return false;
  const unprocessable = [...decoded.value.unprocessable];

  const { storable } = decoded.value;
  if (storable.length > 0) {
    const inserted = await retryWhileRunning(() => insert(storable, deps), retryOptions('insert'));
    if (!inserted.completed) return false;
    recordInsert(storable, inserted.value, deps.metrics);
    for (const rejected of inserted.value.rejected) {
      const record = storable[rejected.index];
      if (record === undefined) continue;
      unprocessable.push(
        unprocessableRecord(record.message, record.document.kafka, 'rejected-by-mongo', 'MongoWriteError', `code ${rejected.code}: ${rejected.message}`),
      );
    }
  }

  if (unprocessable.length > 0) {
    // the DLQ issue plugs its producer in as the sink; until it has the records, nothing is committed
    const handed = await retryWhileRunning(() => deps.sink.accept(unprocessable), retryOptions('dead-letter'));
    if (!handed.completed) return false;
    recordUnprocessable(unprocessable, deps.metrics);
  }
  return true;
}

async function insert(storable: StorableRecord[], deps: BatchProcessorDeps): Promise<BulkInsertResult> {
  const storedAt = new Date();
  const documents = storable.map((record) => {
    record.document.storedAt = storedAt;
    return record.document;
  });
  const started = performance.now();
  // a timed-out insert may still land later; the retry then finds duplicates, which is fine
  const result = await withTimeout(deps.store.insertMany(documents), deps.writeTimeoutMs, `insert of ${documents.length} messages`);
  deps.metrics.writeDuration.observe((performance.now() - started) / 1000);
  return result;
}

function recordInsert(storable: StorableRecord[], result: BulkInsertResult, metrics: IngestMetrics): void {
  metrics.batchSize.observe(storable.length);
  metrics.messages.inc({ result: 'inserted' }, result.inserted);
  metrics.messages.inc({ result: 'duplicate' }, result.duplicates);
  // insertMany does not say which documents were duplicates; a redelivered message's latency
  // would measure the outage, not the pipeline, so only all-new chunks are observed
  if (result.duplicates > 0) return;
  const acknowledgedAt = Date.now();
  const rejected = new Set(result.rejected.map((r) => r.index));
  storable.forEach((record, index) => {
    if (!rejected.has(index)) metrics.endToEndLatency.observe(Math.max(0, acknowledgedAt - record.document.sentAt.getTime()) / 1000);
  });
}

function recordUnprocessable(records: readonly UnprocessableRecord[], metrics: IngestMetrics): void {
  metrics.messages.inc({ result: 'failed' }, records.length);
  for (const record of records) metrics.unprocessable.inc({ reason: record.reason });
}

async function commitChunk(chunk: KafkaMessage[], payload: BatchPayload, metrics: IngestMetrics): Promise<void> {
  const last = chunk[chunk.length - 1];
  if (last !== undefined) await commitThrough(last.offset, payload, metrics);
}

/**
 * A batch can hold only records kafkajs filtered out (transaction markers, aborted records):
 * nothing to store, but unless its offsets are resolved it would be fetched again forever.
 */
async function skipFilteredBatch(payload: BatchPayload, metrics: IngestMetrics): Promise<void> {
  if (payload.batch.isEmpty()) return;
  await commitThrough(payload.batch.lastOffset(), payload, metrics);
}

async function commitThrough(offset: string, payload: BatchPayload, metrics: IngestMetrics): Promise<void> {
  const { topic, partition, highWatermark } = payload.batch;
  payload.resolveOffset(offset);
  const next = (BigInt(offset) + 1n).toString();
  // exactly this partition up to this chunk; a commit error (rebalance) is thrown to kafkajs
  await payload.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
  const labels = { topic, partition: String(partition) };
  metrics.committedOffset.set(labels, Number(next));
  metrics.consumerLag.set(labels, Math.max(0, Number(BigInt(highWatermark) - BigInt(next))));
}

/** Waits `ms` while keeping the group membership alive; false when the batch should be given up. */
async function pauseWithHeartbeat(ms: number, payload: BatchPayload, sleep: (ms: number) => Promise<void>): Promise<boolean> {
  let remaining = ms;
  while (remaining > 0) {
    const slice = Math.min(remaining, PAUSE_SLICE_MS);
    await sleep(slice);
    remaining -= slice;
    if (!isCurrent(payload)) return false;
    await payload.heartbeat();
  }
  return true;
}
