import { backoffDelay } from './backoff';

const policy = { initialDelayMs: 100, maxDelayMs: 5_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt and never exceeds the maximum', () => {
    const highest = (attempt: number): number => backoffDelay(attempt, policy, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(highest)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(highest(1_000)).toBe(5_000);
  });

  it('jitters between half and all of the ceiling, so retries are never back-to-back', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(400);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(600);
    for (let i = 0; i < 200; i += 1) {
      const delay = backoffDelay(2, policy);
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });

  it('treats a negative attempt as the first', () => {
    expect(backoffDelay(-3, policy, () => 1)).toBe(100);
  });
});
