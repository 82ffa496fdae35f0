import { baselineLatencies, healthyBoundMs, percentile, recoveryMs } from './recovery';

const m = (firstAttemptAt: number, latency: number | undefined) => ({ firstAttemptAt, completedAt: latency === undefined ? undefined : firstAttemptAt + latency });

describe('percentile', () => {
  it('uses the nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('healthyBoundMs', () => {
  it('is three times the baseline p99, at least the floor', () => {
    expect(healthyBoundMs([100, 200, 1_000], 2_500)).toBe(3_000);
    expect(healthyBoundMs([100, 200], 2_500)).toBe(2_500);
    expect(healthyBoundMs([], 2_500)).toBe(2_500);
  });

  it('takes its baseline from messages first tried before the fault that completed', () => {
    expect(baselineLatencies([m(0, 10), m(10, undefined), m(20, 25), m(50, 5)], 50)).toEqual([10, 25]);
  });

  it('leaves out messages the fault held up (completed after the scenario began to act)', () => {
    expect(baselineLatencies([m(0, 10), m(40, 30_000)], 50)).toEqual([10]);
  });
});

describe('recoveryMs', () => {
  it('is the time from the reference until the first message of the healthy tail was stored', () => {
    // fault ends at 1000; messages sent until 1400 take 3 s; from 1500 on they are fast again
    const messages = [m(900, 3_000), m(1_000, 3_000), m(1_200, 2_900), m(1_400, 2_800), m(1_500, 100), m(1_600, 100), m(1_700, 100)];
    expect(recoveryMs(messages, 1_000, 2_500)).toBe(600);
  });

  it('is the first fast message after the reference when nothing was slow', () => {
    expect(recoveryMs([m(0, 50), m(1_000, 40), m(1_100, 40)], 1_000, 2_500)).toBe(40);
  });

  it('waits for the backlog: a message stored late behind it keeps the tail from starting earlier', () => {
    const messages = [m(1_000, 100), m(1_100, 5_000), m(1_200, 100), m(1_300, 100)];
    expect(recoveryMs(messages, 1_000, 2_500)).toBe(300);
  });

  it('is undefined when the stream never became healthy again (last message unstored or slow)', () => {
    expect(recoveryMs([m(1_000, 100), m(1_100, undefined)], 1_000, 2_500)).toBeUndefined();
    expect(recoveryMs([m(1_000, 100), m(1_100, 9_000)], 1_000, 2_500)).toBeUndefined();
    expect(recoveryMs([m(500, 100)], 1_000, 2_500)).toBeUndefined();
  });
});
