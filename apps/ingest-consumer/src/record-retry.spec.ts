import { permanentFailure, type RecordFailure } from './failure-classification';
import { withRecordRetries, type AttemptResult, type RecordRetryOptions } from './record-retry';

const transient: RecordFailure = { kind: 'record-transient', reason: 'unknown-schema-id', errorClass: 'UndecodableValueError', message: 'unknown', stack: undefined };
const permanent = permanentFailure('bad-magic-byte', 'UndecodableValueError', 'bad magic');

function options(overrides: Partial<RecordRetryOptions> = {}): RecordRetryOptions & { waited: number[]; clock: { now: number } } {
  const clock = { now: 1_000 };
  const waited: number[] = [];
  return {
    retries: 3,
    policy: { initialDelayMs: 100, maxDelayMs: 1_000 },
    random: () => 1,
    now: () => clock.now,
    pause: async (ms) => {
      waited.push(ms);
      clock.now += ms;
      return true;
    },
    waited,
    clock,
    ...overrides,
  };
}

describe('withRecordRetries', () => {
  it('gives up on a permanent failure at once and never retries it', async () => {
    const calls: string[][] = [];
    const o = options();
    const result = await withRecordRetries(['a', 'b'], async (items): Promise<AttemptResult<string, string>> => {
      calls.push([...items]);
      return { succeeded: items.filter((i) => i === 'a'), failed: items.filter((i) => i === 'b').map((item) => ({ item, failure: permanent })) };
    }, o);
    expect(calls).toEqual([['a', 'b']]);
    expect(result?.succeeded).toEqual(['a']);
    expect(result?.givenUp).toEqual([{ item: 'b', failure: permanent, attempts: 1, firstFailureAt: 1_000, lastFailureAt: 1_000 }]);
    expect(o.waited).toEqual([]);
  });

  it('retries only the transiently failed items, with growing backoff, and keeps those that recover', async () => {
    let attempt = 0;
    const calls: string[][] = [];
    const o = options();
    const result = await withRecordRetries(['ok', 'late', 'never'], async (items): Promise<AttemptResult<string, string>> => {
      attempt += 1;
      calls.push([...items]);
      const recovered = (item: string): boolean => item === 'ok' || (item === 'late' && attempt >= 3);
      return { succeeded: items.filter(recovered), failed: items.filter((i) => !recovered(i)).map((item) => ({ item, failure: transient })) };
    }, o);
    expect(calls).toEqual([['ok', 'late', 'never'], ['late', 'never'], ['late', 'never'], ['never']]);
    expect(o.waited).toEqual([100, 200, 400]);
    expect(result?.succeeded).toEqual(['ok', 'late']);
    expect(result?.givenUp).toEqual([{ item: 'never', failure: transient, attempts: 4, firstFailureAt: 1_000, lastFailureAt: 1_700 }]);
  });

  it('with 0 retries, dead-letters a transient failure after the first attempt', async () => {
    const o = options({ retries: 0 });
    const result = await withRecordRetries(['x'], async (items) => ({ succeeded: [], failed: items.map((item) => ({ item, failure: transient })) }), o);
    expect(result?.givenUp.map((g) => g.attempts)).toEqual([1]);
    expect(o.waited).toEqual([]);
  });

  it('stops when a retry turns out permanent', async () => {
    let attempt = 0;
    const result = await withRecordRetries(['x'], async (items) => {
      attempt += 1;
      return { succeeded: [], failed: items.map((item) => ({ item, failure: attempt === 1 ? transient : permanent })) };
    }, options());
    expect(attempt).toBe(2);
    expect(result?.givenUp.map((g) => [g.attempts, g.failure.reason])).toEqual([[2, 'bad-magic-byte']]);
  });

  it('returns undefined when the work is given up while waiting or attempting', async () => {
    const interrupted = options({ pause: async () => false });
    expect(await withRecordRetries(['x'], async (items) => ({ succeeded: [], failed: items.map((item) => ({ item, failure: transient })) }), interrupted)).toBeUndefined();
    expect(await withRecordRetries(['x'], async () => undefined, options())).toBeUndefined();
  });
});
