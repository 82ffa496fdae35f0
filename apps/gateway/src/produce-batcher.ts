/** One Kafka record as the gateway writes it (the partition is chosen by the batcher). */
export interface OutgoingRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

export interface RecordAck {
  partition: number;
  offset: string;
}

export interface BatchLimits {
  /** how long the first record of a batch may wait for others while its partition is idle (0: the same event-loop turn) */
  lingerMs: number;
  /** most records in one send (1 turns batching off) */
  maxBatchCount: number;
  /** most estimated bytes in one send; a single larger record is still sent, alone */
  maxBatchBytes: number;
}

/**
 * Sends `records` to ONE partition and resolves with the offset of the first of them once
 * acknowledged (acks=all). Never called with records of several partitions (kafkajs#1303).
 */
export type SendToPartition = (partition: number, records: OutgoingRecord[]) => Promise<string>;

export interface ProduceBatcherOptions {
  limits: BatchLimits;
  /** a record not acknowledged within this long is rejected with ProduceTimeoutError */
  timeoutMs: number;
  partitionFor: (key: string) => number;
  send: SendToPartition;
  /** called once per send, e.g. to observe batch sizes */
  onBatch?: (batch: { partition: number; records: number; bytes: number }) => void;
}

/** A record was not acknowledged in time; if it was sent, Kafka may still have it. */
export class ProduceTimeoutError extends Error {
  constructor(
    ms: number,
    readonly sent: boolean,
  ) {
    super(`no acknowledgement within ${ms} ms${sent ? '' : ' (the record was never sent)'}`);
    this.name = 'ProduceTimeoutError';
  }
}

export class BatcherClosedError extends Error {
  constructor() {
    super('the producer is shutting down');
    this.name = 'BatcherClosedError';
  }
}

/** Per record: varint lengths, attributes, timestamp and offset deltas, header count. */
const RECORD_OVERHEAD_BYTES = 32;

/** Upper estimate of a record's size inside a Kafka record batch (no compression). */
export function recordSize(record: OutgoingRecord): number {
  let size = RECORD_OVERHEAD_BYTES + Buffer.byteLength(record.key) + record.value.length;
  for (const [name, value] of Object.entries(record.headers)) size += 2 + Buffer.byteLength(name) + Buffer.byteLength(value);
  return size;
}

/**
 * Removes and returns the longest prefix of `queue` within the count and byte limits:
 * at least one item, so a record larger than the byte limit still goes (alone).
 */
export function takeBatch<T extends { bytes: number }>(queue: T[], limits: Pick<BatchLimits, 'maxBatchCount' | 'maxBatchBytes'>): T[] {
  let count = 0;
  let bytes = 0;
  while (count < queue.length && count < limits.maxBatchCount) {
    const next = queue[count] as T;
    if (count > 0 && bytes + next.bytes > limits.maxBatchBytes) break;
    bytes += next.bytes;
    count++;
  }
  return queue.splice(0, count);
}

/** Records of one batch get consecutive offsets from the batch's base offset. */
export function offsetAt(baseOffset: string, index: number): string {
  return (BigInt(baseOffset) + BigInt(index)).toString();
}

interface Pending {
  record: OutgoingRecord;
  partition: number;
  bytes: number;
  sent: boolean;
  settled: boolean;
  timer: NodeJS.Timeout;
  resolve: (ack: RecordAck) => void;
  reject: (error: unknown) => void;
}

interface PartitionState {
  queue: Pending[];
  queuedBytes: number;
  inFlight: boolean;
  cancelFlush: (() => void) | undefined;
}

/**
 * Queues records from concurrent callers and sends them as one send() per partition:
 * at most one send in flight per partition; records that arrive meanwhile form the next
 * batch (so batches grow with load, and with no load a record waits at most lingerMs).
 * Each caller's promise settles with its own record's outcome.
 */
export class ProduceBatcher {
  private readonly partitions = new Map<number, PartitionState>();
  private unsettled = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: ProduceBatcherOptions) {}

  /** Records waiting or in flight (not yet settled). */
  get pending(): number {
    return this.unsettled;
  }

  enqueue(record: OutgoingRecord): Promise<RecordAck> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    const partition = this.options.partitionFor(record.key);
    const state = this.stateOf(partition);
    return new Promise<RecordAck>((resolve, reject) => {
      const pending: Pending = {
        record,
        partition,
        bytes: recordSize(record),
        sent: false,
        settled: false,
        timer: setTimeout(() => this.expire(pending), this.options.timeoutMs),
        resolve,
        reject,
      };
      this.unsettled++;
      state.queue.push(pending);
      state.queuedBytes += pending.bytes;
      this.schedule(partition, state);
    });
  }

  /** Stops taking records, sends what is queued now, and resolves once every record has settled. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [partition, state] of this.partitions) this.flush(partition, state);
    if (this.unsettled === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private stateOf(partition: number): PartitionState {
    let state = this.partitions.get(partition);
    if (state === undefined) {
      state = { queue: [], queuedBytes: 0, inFlight: false, cancelFlush: undefined };
      this.partitions.set(partition, state);
    }
    return state;
  }

  private schedule(partition: number, state: PartitionState): void {
    if (state.inFlight || state.queue.length === 0) return;
    const { maxBatchCount, maxBatchBytes, lingerMs } = this.options.limits;
    if (this.closed || state.queue.length >= maxBatchCount || state.queuedBytes >= maxBatchBytes) {
      this.flush(partition, state);
      return;
    }
    if (state.cancelFlush !== undefined) return;
    if (lingerMs === 0) {
      const immediate = setImmediate(() => this.flush(partition, state));
      state.cancelFlush = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(() => this.flush(partition, state), lingerMs);
      state.cancelFlush = () => clearTimeout(timer);
    }
  }

  private flush(partition: number, state: PartitionState): void {
    state.cancelFlush?.();
    state.cancelFlush = undefined;
    if (state.inFlight || state.queue.length === 0) return;
    const batch = takeBatch(state.queue, this.options.limits);
    let bytes = 0;
    for (const pending of batch) {
      pending.sent = true;
      bytes += pending.bytes;
    }
    state.queuedBytes -= bytes;
    state.inFlight = true;
    this.options.onBatch?.({ partition, records: batch.length, bytes });
    void Promise.resolve()
      .then(() => this.options.send(partition, batch.map((p) => p.record)))
      .then(
        (baseOffset) => batch.forEach((p, i) => this.settle(p, () => p.resolve({ partition, offset: offsetAt(baseOffset, i) }))),
        (error: unknown) => batch.forEach((p) => this.settle(p, () => p.reject(error))),
      )
      .finally(() => {
        state.inFlight = false;
        // what queued up meanwhile has waited a round trip already: send it now
        this.flush(partition, state);
      });
  }

  private expire(pending: Pending): void {
    if (!pending.sent) {
      const state = this.stateOf(pending.partition);
      const index = state.queue.indexOf(pending);
      if (index >= 0) {
        state.queue.splice(index, 1);
        state.queuedBytes -= pending.bytes;
      }
    }
    this.settle(pending, () => pending.reject(new ProduceTimeoutError(this.options.timeoutMs, pending.sent)));
  }

  private settle(pending: Pending, outcome: () => void): void {
    if (pending.settled) return;
    pending.settled = true;
    clearTimeout(pending.timer);
    outcome();
    this.unsettled--;
    if (this.unsettled === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }
}
