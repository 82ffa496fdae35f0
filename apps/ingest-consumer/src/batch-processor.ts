import type { Batch, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { LoggerLike } from '@wiber/kafka';
import type { BulkInsertResult, MessageDocument } from '@wiber/mongo';
import type { CircuitBreaker } from './circuit-breaker';
import type { IngestMetrics, RetriedOperation } from './metrics';
import type { BackoffPolicy } from './backoff';
import { classifyWriteRejection } from './failure-classification';
import { correlationIdOf, decodeRecords, type ChatMessageDecoder, type StorableRecord } from './record-decoding';
import { withRecordRetries, type AttemptResult, type RecordRetryOptions } from './record-retry';
import { retryWhileRunning, sleep as realSleep, withTimeout, type RetryOptions } from './retry';
import { unprocessableRecord, type UnprocessableRecord, type UnprocessableSink } from './unprocessable';

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
  /** further attempts for a record whose failure may clear (unknown schema id, write conflict) before it is dead-lettered */
  recordRetries: number;
  recordRetryPolicy: BackoffPolicy;
  random?: () => number;
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
  const now = deps.now ?? Date.now;
  const pause = (ms: number): Promise<boolean> => pauseWithHeartbeat(ms, payload, deps.sleep ?? realSleep);
  const range = { topic, partition, firstOffset: chunk[0]?.offset, lastOffset: chunk[chunk.length - 1]?.offset };
  const systemRetry = (operation: RetriedOperation): RetryOptions => ({
    breaker: deps.breaker,
    shouldContinue: () => isCurrent(payload),
    pause,
    now: deps.now,
    onRetry: (error, delayMs, consecutiveFailures) => {
      deps.metrics.retries.inc({ operation });
      deps.logger.warn(`${operation} failed; retrying in ${delayMs} ms without committing`, {
        ...range,
        consecutiveFailures,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    },
  });
  const recordRetry = (operation: 'decode' | 'insert'): RecordRetryOptions => ({
    retries: deps.recordRetries,
    policy: deps.recordRetryPolicy,
    pause,
    now,
    random: deps.random,
    onRetry: (items, retry, delayMs) => {
      deps.metrics.retries.inc({ operation: 'record' }, items);
      deps.logger.warn(`${items} record(s) failed to ${operation} in a way that may clear; retry ${retry} of ${deps.recordRetries} in ${delayMs} ms`, range);
    },
  });
  const where = { topic, partition };
  const unprocessable: UnprocessableRecord[] = [];

  const decoded = await withRecordRetries(
    chunk,
    async (messages) => {
      const outcome = await retryWhileRunning(() => decodeRecords(messages, where, deps.decode), systemRetry('decode'));
      return outcome.completed ? outcome.value : undefined;
    },
    recordRetry('decode'),
  );
  if (decoded === undefined) return false;
  for (const given of decoded.givenUp) {
    unprocessable.push(unprocessableRecord(given.item, { ...where, offset: given.item.offset }, correlationIdOf(given.item), given));
  }

  if (decoded.succeeded.length > 0) {
    const inserted = await withRecordRetries(
      decoded.succeeded,
      async (storable) => {
        const outcome = await retryWhileRunning(() => insert(storable, deps), systemRetry('insert'));
        return outcome.completed ? outcome.value : undefined;
      },
      recordRetry('insert'),
    );
    if (inserted === undefined) return false;
    for (const given of inserted.givenUp) {
      unprocessable.push(unprocessableRecord(given.item.message, given.item.document.kafka, given.item.correlationId, given));
    }
  }

  if (unprocessable.length > 0) {
    // in source order, so the DLQ keeps a partition's order (records retried first are found last)
    unprocessable.sort((a, b) => (BigInt(a.source.offset) < BigInt(b.source.offset) ? -1 : 1));
    // nothing of the chunk is committed until the sink (the DLQ, acks=all) has every one of them
    const handed = await retryWhileRunning(() => deps.sink.accept(unprocessable), systemRetry('dead-letter'));
    if (!handed.completed) return false;
    recordUnprocessable(unprocessable, deps.metrics);
  }
  return true;
}

/**
 * One insertMany of `storable`. Documents Mongo refused for themselves come back as failed
 * (classified); a refusal that is about the server is thrown, so the whole insert is retried.
 */
async function insert(storable: readonly StorableRecord[], deps: BatchProcessorDeps): Promise<AttemptResult<StorableRecord, StorableRecord>> {
  const storedAt = new Date();
  const documents = storable.map((record) => {
    record.document.storedAt = storedAt;
    return record.document;
  });
  const started = performance.now();
  // a timed-out insert may still land later; the retry then finds duplicates, which is fine
  const result = await withTimeout(deps.store.insertMany(documents), deps.writeTimeoutMs, `insert of ${documents.length} messages`);
  const failed: AttemptResult<StorableRecord, StorableRecord>['failed'] = [];
  for (const rejected of result.rejected) {
    const record = storable[rejected.index];
    if (record !== undefined) failed.push({ item: record, failure: classifyWriteRejection(rejected) });
  }
  deps.metrics.writeDuration.observe((performance.now() - started) / 1000);
  recordInsert(storable, result, deps.metrics);
  const refused = new Set(failed.map((f) => f.item));
  return { succeeded: storable.filter((record) => !refused.has(record)), failed };
}

function recordInsert(storable: readonly StorableRecord[], result: BulkInsertResult, metrics: IngestMetrics): void {
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
