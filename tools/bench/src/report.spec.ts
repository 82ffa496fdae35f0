import { BEGIN_MARKER, cpuCell, END_MARKER, spliceSection } from './report';

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
