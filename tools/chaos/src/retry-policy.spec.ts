import { backoffMs, DEFAULT_RETRY_POLICY, parseRetryAfter, verdictForStatus } from './retry-policy';

describe('verdictForStatus', () => {
  it('retries 503 and other server errors, accepts 202, takes any other answer as final', () => {
    expect(verdictForStatus(202)).toBe('acknowledged');
    expect([503, 502, 504, 500, 429].map(verdictForStatus)).toEqual(Array(5).fill('retry-same'));
    expect([400, 404, 413, 415, 422, 200].map(verdictForStatus)).toEqual(Array(6).fill('rejected'));
  });
});

describe('backoffMs', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, initialBackoffMs: 200, maxBackoffMs: 2_000 };

  it('grows exponentially within [initial/2, ceiling] and never passes the maximum', () => {
    expect(backoffMs(policy, 1, undefined, () => 0)).toBe(100);
    expect(backoffMs(policy, 1, undefined, () => 0.999999)).toBe(200);
    expect(backoffMs(policy, 3, undefined, () => 0.999999)).toBe(800);
    expect(backoffMs(policy, 10, undefined, () => 0.999999)).toBe(2_000);
  });

  it('waits at least what Retry-After asks, capped by the maximum', () => {
    expect(backoffMs(policy, 1, 1, () => 0)).toBe(1_000);
    expect(backoffMs(policy, 1, 30, () => 0)).toBe(2_000);
  });

  it('reads Retry-After seconds and ignores dates and garbage', () => {
    expect(parseRetryAfter('1')).toBe(1);
    expect(parseRetryAfter(' 5 ')).toBe(5);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
