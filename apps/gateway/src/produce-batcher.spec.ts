import {
  BatcherClosedError,
  offsetAt,
  ProduceBatcher,
  ProduceTimeoutError,
  recordSize,
  takeBatch,
  type BatchLimits,
  type OutgoingRecord,
  type RecordAck,
} from './produce-batcher';

interface SendCall {
  partition: number;
  records: OutgoingRecord[];
  resolve: (baseOffset: string) => void;
  reject: (error: unknown) => void;
}

interface Outcome {
  done: boolean;
  ack?: RecordAck;
  error?: unknown;
}

/** A batcher whose sends wait until the test settles them; key "P-i" goes to partition P. */
function harness(limits: Partial<BatchLimits> = {}, timeoutMs = 1000) {
  const calls: SendCall[] = [];
  const batches: number[] = [];
  const batcher = new ProduceBatcher({
    limits: { lingerMs: 0, maxBatchCount: 100, maxBatchBytes: 1_000_000, ...limits },
    timeoutMs,
    partitionFor: (key) => Number(key.split('-')[0]),
    send: (partition, records) => new Promise<string>((resolve, reject) => calls.push({ partition, records, resolve, reject })),
    onBatch: ({ records }) => batches.push(records),
  });
  const send = (record: OutgoingRecord): Outcome => {
    const outcome: Outcome = { done: false };
    batcher.enqueue(record).then(
      (ack) => Object.assign(outcome, { done: true, ack }),
      (error: unknown) => Object.assign(outcome, { done: true, error }),
    );
    return outcome;
  };
  return { batcher, calls, batches, send };
}

const rec = (partition: number, i: number, valueBytes = 10): OutgoingRecord => ({
  key: `${partition}-${i}`,
  value: Buffer.alloc(valueBytes),
  headers: { 'x-correlation-id': `c${i}` },
});
const keysOf = (call: SendCall | undefined) => call?.records.map((r) => r.key);
const advance = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

describe('takeBatch', () => {
  const items = (...bytes: number[]) => bytes.map((b, id) => ({ id, bytes: b }));

  it('takes the longest prefix within the count bound', () => {
    const queue = items(1, 1, 1, 1, 1);
    expect(takeBatch(queue, { maxBatchCount: 3, maxBatchBytes: 100 }).map((i) => i.id)).toEqual([0, 1, 2]);
    expect(queue.map((i) => i.id)).toEqual([3, 4]);
  });

  it('takes the longest prefix within the byte bound, keeping order', () => {
    const queue = items(40, 40, 40, 5);
    expect(takeBatch(queue, { maxBatchCount: 10, maxBatchBytes: 100 }).map((i) => i.id)).toEqual([0, 1]);
    expect(queue.map((i) => i.id)).toEqual([2, 3]);
  });

  it('takes a record larger than the byte bound alone rather than never', () => {
    const queue = items(500, 1);
    expect(takeBatch(queue, { maxBatchCount: 10, maxBatchBytes: 100 }).map((i) => i.id)).toEqual([0]);
    expect(takeBatch([], { maxBatchCount: 10, maxBatchBytes: 100 })).toEqual([]);
  });
});

describe('recordSize and offsetAt', () => {
  it('counts key, value and headers in bytes, plus overhead', () => {
    const small = recordSize({ key: 'a', value: Buffer.alloc(10), headers: {} });
    expect(recordSize({ key: 'aé', value: Buffer.alloc(10), headers: {} })).toBe(small + 2);
    expect(recordSize({ key: 'a', value: Buffer.alloc(110), headers: {} })).toBe(small + 100);
    expect(recordSize({ key: 'a', value: Buffer.alloc(10), headers: { h: 'vv' } })).toBeGreaterThan(small + 3);
  });

  it('numbers records of a batch from its base offset, beyond 2^53', () => {
    expect(offsetAt('41', 0)).toBe('41');
    expect(offsetAt('41', 3)).toBe('44');
    expect(offsetAt('9007199254740993', 2)).toBe('9007199254740995');
  });
});

describe('ProduceBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the records of one event-loop turn as one send per partition, each resolving with its own offset', async () => {
    const { calls, send } = harness();
    const outcomes = [rec(0, 1), rec(3, 2), rec(0, 3), rec(5, 4), rec(3, 5)].map(send);
    expect(calls).toHaveLength(0);
    await advance();
    expect(calls.map((c) => [c.partition, keysOf(c)])).toEqual([
      [0, ['0-1', '0-3']],
      [3, ['3-2', '3-5']],
      [5, ['5-4']],
    ]);
    calls[0]?.resolve('100');
    calls[1]?.resolve('7');
    calls[2]?.resolve('0');
    await advance();
    expect(outcomes.map((o) => o.ack)).toEqual([
      { partition: 0, offset: '100' },
      { partition: 3, offset: '7' },
      { partition: 0, offset: '101' },
      { partition: 5, offset: '0' },
      { partition: 3, offset: '8' },
    ]);
  });

  it('keeps one send in flight per partition; records arriving meanwhile form the next batch', async () => {
    const { calls, send } = harness();
    const first = send(rec(1, 1));
    await advance();
    const later = [send(rec(1, 2)), send(rec(1, 3))];
    await advance();
    await advance(50);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve('10');
    await advance();
    expect(first.ack).toEqual({ partition: 1, offset: '10' });
    expect(calls).toHaveLength(2);
    expect(keysOf(calls[1])).toEqual(['1-2', '1-3']);
    calls[1]?.resolve('11');
    await advance();
    expect(later.map((o) => o.ack?.offset)).toEqual(['11', '12']);
  });

  it('bounds a batch by count: PRODUCE_MAX_BATCH=1 is one record per send', async () => {
    const { calls, send, batches } = harness({ maxBatchCount: 2 });
    [1, 2, 3, 4, 5].forEach((i) => send(rec(2, i)));
    await advance();
    expect(keysOf(calls[0])).toEqual(['2-1', '2-2']);
    calls[0]?.resolve('0');
    await advance();
    calls[1]?.resolve('2');
    await advance();
    calls[2]?.resolve('4');
    await advance();
    expect(batches).toEqual([2, 2, 1]);

    const single = harness({ maxBatchCount: 1 });
    [1, 2].forEach((i) => single.send(rec(0, i)));
    await advance();
    expect(single.calls.map(keysOf)).toEqual([['0-1']]);
  });

  it('bounds a batch by estimated bytes', async () => {
    const size = recordSize(rec(4, 1, 1000));
    const { calls, send } = harness({ maxBatchBytes: size * 2 + 10 });
    [1, 2, 3].forEach((i) => send(rec(4, i, 1000)));
    await advance();
    expect(keysOf(calls[0])).toEqual(['4-1', '4-2']);
    calls[0]?.resolve('0');
    await advance();
    expect(keysOf(calls[1])).toEqual(['4-3']);
  });

  it('waits up to lingerMs for more records, but sends a full batch at once', async () => {
    const { calls, send } = harness({ lingerMs: 5, maxBatchCount: 3 });
    send(rec(0, 1));
    await advance(4);
    send(rec(0, 2));
    await advance(0);
    expect(calls).toHaveLength(0);
    await advance(1);
    expect(calls.map(keysOf)).toEqual([['0-1', '0-2']]);

    const full = harness({ lingerMs: 5, maxBatchCount: 3 });
    [1, 2, 3].forEach((i) => full.send(rec(0, i)));
    await advance(0);
    expect(full.calls.map(keysOf)).toEqual([['0-1', '0-2', '0-3']]);
  });

  it('rejects every record of a failed send with its error, and only those', async () => {
    const { calls, send } = harness();
    const failing = [send(rec(0, 1)), send(rec(0, 2))];
    const fine = send(rec(1, 3));
    await advance();
    const error = new Error('NOT_ENOUGH_REPLICAS');
    calls[0]?.reject(error);
    calls[1]?.resolve('5');
    await advance();
    expect(failing.map((o) => o.error)).toEqual([error, error]);
    expect(fine.ack).toEqual({ partition: 1, offset: '5' });
  });

  it('times out each record on its own: a sent one is reported sent, a queued one is dropped unsent', async () => {
    const { calls, send, batcher } = harness({}, 1000);
    const inFlight = send(rec(0, 1));
    await advance(600);
    const queued = send(rec(0, 2));
    await advance(400);
    expect(inFlight.error).toBeInstanceOf(ProduceTimeoutError);
    expect((inFlight.error as ProduceTimeoutError).sent).toBe(true);
    expect(queued.done).toBe(false);
    await advance(600);
    expect((queued.error as ProduceTimeoutError).sent).toBe(false);
    expect(batcher.pending).toBe(0);
    // a late acknowledgement changes nothing, and the dropped record is never sent
    calls[0]?.resolve('3');
    await advance();
    expect(calls).toHaveLength(1);
    expect(inFlight.ack).toBeUndefined();
  });

  it('close() sends what is queued at once, resolves when all settled, and refuses new records', async () => {
    const { calls, send, batcher } = harness({ lingerMs: 50 });
    const outcome = send(rec(2, 1));
    let closed = false;
    void batcher.close().then(() => {
      closed = true;
    });
    await advance();
    expect(calls).toHaveLength(1);
    expect(closed).toBe(false);
    calls[0]?.resolve('0');
    await advance();
    expect(outcome.ack).toEqual({ partition: 2, offset: '0' });
    expect(closed).toBe(true);
    await expect(batcher.enqueue(rec(2, 2))).rejects.toBeInstanceOf(BatcherClosedError);
  });

  it('a send that throws synchronously rejects its records instead of escaping', async () => {
    const batcher = new ProduceBatcher({
      limits: { lingerMs: 0, maxBatchCount: 10, maxBatchBytes: 1000 },
      timeoutMs: 1000,
      partitionFor: () => 0,
      send: () => {
        throw new Error('boom');
      },
    });
    const rejected = expect(batcher.enqueue(rec(0, 1))).rejects.toThrow('boom');
    await advance();
    await rejected;
  });
});
