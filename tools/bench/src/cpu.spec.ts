import { parseMachineTicks, parseProcessTicks } from './cpu';

describe('parseProcessTicks', () => {
  it('adds utime and stime (fields 14 and 15), even when the name has spaces and parentheses', () => {
    const rest = 'S 1 2 3 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 12345 1000 200';
    expect(parseProcessTicks(`4242 (node) ${rest}`)).toBe(300);
    expect(parseProcessTicks(`4242 (my (odd) name) ${rest}`)).toBe(300);
  });
});

describe('parseMachineTicks', () => {
  it('counts idle and iowait as not busy', () => {
    const stat = 'cpu  100 5 50 800 40 0 5 0 0 0\ncpu0 50 2 25 400 20 0 3 0 0 0\nintr 1\n';
    expect(parseMachineTicks(stat)).toEqual({ busy: 160, total: 1000 });
  });

  it('refuses text without the aggregate line', () => {
    expect(() => parseMachineTicks('cpu0 1 2 3\n')).toThrow(/aggregate/);
  });
});
