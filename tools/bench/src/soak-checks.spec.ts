import { countErrorLines, lagCheck, lagOf, linearFit, memoryVerdict, type SoakSample } from './soak-checks';

const sample = (atS: number, rss: number, lag = 0): SoakSample => ({ atS, lag, rssMiB: { gateway: rss }, errors: { gateway: 0 }, accepted: 0 });

describe('linearFit', () => {
  it('fits a line exactly through collinear points', () => {
    const fit = linearFit([0, 1, 2, 3], [10, 12, 14, 16]);
    expect(fit.slope).toBeCloseTo(2);
    expect(fit.intercept).toBeCloseTo(10);
  });

  it('has slope 0 for flat data and for a single point', () => {
    expect(linearFit([0, 1, 2], [5, 5, 5]).slope).toBe(0);
    expect(linearFit([3], [7])).toEqual({ slope: 0, intercept: 7 });
  });

  it('follows the trend of noisy data', () => {
    const xs = Array.from({ length: 30 }, (_, i) => i);
    const ys = xs.map((x) => 100 + 0.5 * x + (x % 2 === 0 ? 3 : -3));
    expect(linearFit(xs, ys).slope).toBeCloseTo(0.5, 1);
  });
});

describe('memoryVerdict', () => {
  it('is flat when RSS levels off after the warm-up', () => {
    const samples = [sample(0, 80), sample(30, 120), sample(60, 140), sample(120, 142), sample(180, 139), sample(240, 143), sample(300, 141)];
    const v = memoryVerdict('gateway', samples, 60, 32, 4);
    expect(v).toMatchObject({ startMiB: 80, afterWarmupMiB: 140, endMiB: 141, flat: true });
    expect(v.slopeMiBPerMin).toBeLessThan(1);
  });

  it('is not flat when RSS keeps growing', () => {
    const samples = Array.from({ length: 31 }, (_, i) => sample(i * 10, 100 + i * 2)); // 12 MiB per minute
    const v = memoryVerdict('gateway', samples, 60, 32, 4);
    expect(v.flat).toBe(false);
    expect(v.slopeMiBPerMin).toBeCloseTo(12);
  });

  it('is not decided by one garbage-collection peak at the end', () => {
    const samples = [sample(60, 100), sample(90, 104), sample(120, 100), sample(150, 102), sample(180, 101), sample(210, 100), sample(240, 150), sample(270, 101)];
    expect(memoryVerdict('gateway', samples, 60, 32, 100)).toMatchObject({ afterWarmupMiB: 100, endMiB: 101, flat: true });
  });

  it('is not flat when the end stays above the slack even with a small slope', () => {
    const samples = [sample(60, 100), sample(120, 100), sample(180, 100), sample(240, 100), sample(270, 160), sample(300, 161), sample(330, 160)];
    expect(memoryVerdict('gateway', samples, 60, 32, 100)).toMatchObject({ endMiB: 160, flat: false });
  });
});

describe('lag', () => {
  it('sums high watermark minus committed offset, from the low watermark where nothing is committed', () => {
    const ends = [
      { partition: 0, high: '100', low: '0' },
      { partition: 1, high: '50', low: '10' },
      { partition: 2, high: '7', low: '0' },
    ];
    expect(lagOf(ends, [{ partition: 0, offset: '90' }, { partition: 1, offset: '-1' }])).toBe(10 + 40 + 7);
    expect(lagOf(ends, [{ partition: 0, offset: '100' }, { partition: 1, offset: '50' }, { partition: 2, offset: '7' }])).toBe(0);
  });

  it('checks every sample against the bound', () => {
    expect(lagCheck([sample(0, 1, 0), sample(10, 1, 1000)], 1000).passed).toBe(true);
    const failed = lagCheck([sample(0, 1, 0), sample(10, 1, 1001)], 1000);
    expect(failed.passed).toBe(false);
    expect(failed.detail).toContain('max 1001');
    expect(lagCheck([sample(0, 1, 0), sample(60, 1, 50), sample(120, 1, 100)], 1000).detail).toContain('trend +50 records/min');
    expect(lagCheck([], 10).passed).toBe(false);
  });
});

describe('countErrorLines', () => {
  it('counts complete JSON lines at level error only', () => {
    const out = [
      '{"level":"info","message":"up"}',
      '{"level":"error","message":"boom"}',
      'not json {"level":"error"}',
      '{"level":"warn","message":"hm"}',
      '{"level":"error","message":"again"}',
      '{"level":"error","mess', // incomplete last line
    ].join('\n');
    expect(countErrorLines(out)).toBe(2);
    expect(countErrorLines('')).toBe(0);
  });
});
