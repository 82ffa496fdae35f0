import { percentile, perSecond, summarize } from './stats';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks the value at rank ceil(p/100 * n)', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30], 99)).toBe(30);
    expect(percentile([7], 1)).toBe(7);
  });

  it('is NaN without values and refuses p outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts a copy and reports count, p50, p99, max and mean', () => {
    const values = [5, 1, 4, 2, 3];
    expect(summarize(values)).toEqual({ count: 5, p50: 3, p99: 5, max: 5, mean: 3 });
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('a single slow outlier in 1000 shows at max, not at p99', () => {
    const values = [...Array.from({ length: 999 }, () => 10), 5000];
    expect(summarize(values)).toMatchObject({ p50: 10, p99: 10, max: 5000 });
  });

  it('is NaN-filled for no values', () => {
    expect(summarize([])).toMatchObject({ count: 0, p50: NaN, max: NaN, mean: NaN });
  });
});

describe('perSecond', () => {
  it('scales a count over milliseconds to a rate', () => {
    expect(perSecond(500, 250)).toBe(2000);
    expect(perSecond(5, 0)).toBe(0);
  });
});
