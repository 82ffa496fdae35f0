import { factor, ratioOf, weakest } from './ratios';

describe('ratios', () => {
  it('divides by positive ceilings only', () => {
    expect(ratioOf(50, 200)).toBe(0.25);
    expect(ratioOf(50, 0)).toBeNaN();
    expect(ratioOf(Number.NaN, 10)).toBeNaN();
  });

  it('finds the weakest ratio, skipping undefined ones', () => {
    const entries = [
      { what: 'gateway 100 B', value: 1000, ceiling: 40_000 },
      { what: 'ingest 100 B', value: 5000, ceiling: 7000 },
      { what: 'broken', value: 1, ceiling: 0 },
      { what: 'gateway 16 KiB', value: 400, ceiling: 4000 },
    ];
    expect(weakest(entries)).toEqual({ what: 'gateway 100 B', value: 1000, ceiling: 40_000, ratio: 0.025 });
    expect(weakest([])).toBeUndefined();
    expect(weakest([{ what: 'x', value: 1, ceiling: 0 }])).toBeUndefined();
  });

  it('prints factors', () => {
    expect(factor(300, 100)).toBe('×3.00');
    expect(factor(1500, 100)).toBe('×15.0');
    expect(factor(1, 0)).toBe('–');
  });
});
