import { BEGIN_MARKER, cpuCell, cpuMsPer, END_MARKER, pct, ratioEntries, spliceMarked, spliceSection } from './report';
import type { SizeIngest } from './ingest-phase';
import type { SizeThroughput } from './throughput-phase';

describe('spliceSection', () => {
  it('appends a marked section to a file without one, keeping what is there', () => {
    const out = spliceSection('# Benchmarks\n\nnotes\n', 'new results');
    expect(out).toBe(`# Benchmarks\n\nnotes\n\n${BEGIN_MARKER}\nnew results\n${END_MARKER}\n`);
  });

  it('replaces only the marked section on the next run', () => {
    const first = spliceSection('# Benchmarks\n', 'old');
    const withAnalysis = `${first}\n## Analysis (by hand)\n`;
    const second = spliceSection(withAnalysis, 'new');
    expect(second).toContain('new');
    expect(second).not.toContain('old');
    expect(second).toContain('## Analysis (by hand)');
    expect(second.indexOf('# Benchmarks')).toBe(0);
  });

  it('starts a new file', () => {
    expect(spliceSection('', 'x')).toBe(`${BEGIN_MARKER}\nx\n${END_MARKER}\n`);
  });
});

describe('cpuCell', () => {
  it('lists each process group in % of one core, then the machine', () => {
    expect(cpuCell({ processes: { gateway: 86.4, kafka: 120.2 }, machineBusy: 91.2, others: 3.6 })).toBe('gateway 86, kafka 120, others 4; machine 91 %');
    expect(cpuCell({ processes: {}, machineBusy: Number.NaN, others: Number.NaN })).toBe('; machine – %');
  });
});

describe('spliceMarked', () => {
  it('keeps other marked sections apart', () => {
    const bench = spliceSection('# B\n', 'bench results');
    const both = spliceMarked(bench, 'soak results', '<!-- soak:begin -->', '<!-- soak:end -->');
    const again = spliceMarked(both, 'soak 2', '<!-- soak:begin -->', '<!-- soak:end -->');
    expect(again).toContain('bench results');
    expect(again).toContain('soak 2');
    expect(again).not.toContain('soak results');
  });
});

describe('figures', () => {
  it('turns CPU % and a rate into CPU ms per event', () => {
    expect(cpuMsPer(90, 1800)).toBeCloseTo(0.5);
    expect(cpuMsPer(undefined, 100)).toBeNaN();
    expect(cpuMsPer(50, 0)).toBeNaN();
  });

  it('prints small shares with more digits', () => {
    expect(pct(0.0234)).toBe('2.34 %');
    expect(pct(0.716)).toBe('71.6 %');
    expect(pct(Number.NaN)).toBe('–');
  });

  it('lists every gateway and ingest ratio against the ceiling of the same size', () => {
    const cpu = { processes: {}, machineBusy: 0, others: 0 };
    const throughput = [
      {
        size: 100,
        ceiling: { perSecond: 40_000 },
        gateways: [{ variant: { key: 'default' }, connections: 64, result: { acceptedPerSecond: 2000 } }],
      },
    ] as unknown as SizeThroughput[];
    const ingest = [
      {
        size: 100,
        documents: 20_000,
        ceilings: [
          { perSecond: 6000, chunk: 500, documents: 20_000, elapsedMs: 1, cpu },
          { perSecond: 8000, chunk: 20_000, documents: 20_000, elapsedMs: 1, cpu },
        ],
        runs: [{ instances: 2, produceMs: 1, watch: { perSecond: 4000 } }],
      },
    ] as unknown as SizeIngest[];
    expect(ratioEntries({ throughput, ingest })).toEqual([
      { what: 'gateway (default), 100 B, 64 connections', value: 2000, ceiling: 40_000 },
      { what: 'ingest, 100 B, 2 instances', value: 4000, ceiling: 8000 },
    ]);
  });
});
