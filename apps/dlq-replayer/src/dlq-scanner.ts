import type { Consumer, Kafka } from 'kafkajs';
import { toDeadLetter, type DeadLetter } from './dead-letter';
import { CliError, EXIT } from './exit-codes';
import type { PartitionRange } from './kafka-session';
import type { Settings } from './settings';

/**
 * What the handler did with a record:
 * - handled: done with it; its offset may be committed now (replayed);
 * - passed: done with it, nothing written (listed, skipped by filter); committed with the next;
 * - stop-partition: not done (it failed); nothing at or after it in its partition is touched;
 * - stop: not done; the whole scan ends here (a limit was reached).
 */
export type Verdict = 'handled' | 'passed' | 'stop-partition' | 'stop';

export interface ScanOptions {
  kafka: Kafka;
  settings: Settings;
  topic: string;
  /** the group read as: a throwaway one for reading only, or the replayer's */
  groupId: string;
  /** the partitions to read, each from `start` to its end when the command began */
  ranges: ReadonlyMap<number, PartitionRange>;
  /** seek to each range's start (otherwise the group resumes from its committed offsets) */
  seek: boolean;
  /** commit the group's offsets as records are handled (replay only) */
  commit: boolean;
  handle: (letter: DeadLetter, heartbeat: () => Promise<void>) => Promise<Verdict>;
  /** aborting ends the scan before the next record (SIGINT); the record in hand is finished first */
  signal: AbortSignal;
  /** the partitions this member was given (all of them, unless another replayer shares the group) */
  onAssigned?: (partitions: number[]) => void;
}

export interface ScanResult {
  /** partitions this member read */
  partitions: number[];
  /** true when stopped by the signal or a 'stop' verdict rather than by reaching the ends */
  stoppedEarly: boolean;
}

/**
 * Reads the DLQ partitions in `ranges` up to the ends snapshotted at the start (so the
 * command terminates even while new dead letters arrive), handing each record to `handle`.
 * Offsets are committed only when `commit` is set, and only through records handled.
 */
export async function scanDlq(options: ScanOptions): Promise<ScanResult> {
  const { topic, ranges, settings } = options;
  const consumer: Consumer = options.kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 10_000,
    rebalanceTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 250,
  });
  const done = new Set<number>();
  let assigned: number[] = [];
  let joinedOnce = false;
  let stoppedEarly = false;
  let lastActivity = Date.now();
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // a failure before anyone awaits `finished` must not count as an unhandled rejection
  finished.catch(() => undefined);
  const finish = (): void => settle?.resolve();
  const fail = (error: Error): void => settle?.reject(error);

  const markDone = (partition: number): void => {
    done.add(partition);
    consumer.pause([{ topic, partitions: [partition] }]);
    if (assigned.every((p) => done.has(p))) finish();
  };

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    lastActivity = Date.now();
    const given = payload.memberAssignment[topic] ?? [];
    assigned = given.filter((p) => ranges.has(p));
    const unwanted = given.filter((p) => !ranges.has(p));
    if (unwanted.length > 0) consumer.pause([{ topic, partitions: unwanted }]);
    options.onAssigned?.(assigned);
    for (const partition of assigned) {
      const range = ranges.get(partition);
      if (range === undefined || range.start >= range.end) done.add(partition);
      else if (options.seek && !joinedOnce) consumer.seek({ topic, partition, offset: range.start.toString() });
    }
    joinedOnce = true;
    const remaining = assigned.filter((p) => !done.has(p));
    if (remaining.length === 0) finish();
    else consumer.pause([{ topic, partitions: assigned.filter((p) => done.has(p)) }]);
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) fail(new CliError(`reading ${topic} failed: ${payload.error.message}`, EXIT.unavailable));
  });

  const onAbort = (): void => {
    stoppedEarly = true;
    // disconnecting (below) waits for a batch in progress, which stops before its next record
    finish();
  };
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener('abort', onAbort, { once: true });

  const stallMs = Math.max(settings.timeoutMs, 30_000);
  const watchdog = setInterval(() => {
    const limit = joinedOnce ? stallMs : settings.timeoutMs;
    if (Date.now() - lastActivity <= limit) return;
    fail(
      new CliError(
        joinedOnce
          ? `reading ${topic}: no records arrived for ${Math.round(limit / 1000)} s before the end of partition(s) ${assigned.filter((p) => !done.has(p)).join(',')}`
          : `could not join consumer group ${options.groupId} on ${topic} within ${limit / 1000} s`,
        EXIT.unavailable,
      ),
    );
  }, 250);

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const { partition } = batch;
        const range = ranges.get(partition);
        if (range === undefined || done.has(partition)) return;
        let uncommitted: bigint | undefined;
        const commit = async (): Promise<void> => {
          if (!options.commit || uncommitted === undefined) return;
          await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: uncommitted.toString() }] }] });
          uncommitted = undefined;
        };
        for (const message of batch.messages) {
          if (!isRunning() || isStale() || done.has(partition)) break;
          const offset = BigInt(message.offset);
          // records fetched before a seek took effect
          if (offset < range.start) continue;
          if (offset >= range.end) {
            markDone(partition);
            break;
          }
          if (options.signal.aborted) {
            stoppedEarly = true;
            break;
          }
          lastActivity = Date.now();
          const verdict = await options.handle(toDeadLetter(partition, message), heartbeat);
          lastActivity = Date.now();
          if (verdict === 'stop') {
            stoppedEarly = true;
            break;
          }
          if (verdict === 'stop-partition') {
            await commit();
            markDone(partition);
            break;
          }
          resolveOffset(message.offset);
          uncommitted = offset + 1n;
          if (verdict === 'handled') await commit();
          if (offset + 1n >= range.end) {
            await commit();
            markDone(partition);
            break;
          }
        }
        await commit();
        // the rest of the batch may be records kafkajs filtered out (control records)
        if (!done.has(partition) && !stoppedEarly && BigInt(batch.lastOffset()) >= range.end - 1n) markDone(partition);
        if (stoppedEarly) finish();
      },
    });
    await finished;
    return { partitions: assigned, stoppedEarly };
  } finally {
    clearInterval(watchdog);
    options.signal.removeEventListener('abort', onAbort);
    await consumer.disconnect().catch(() => undefined);
  }
}
