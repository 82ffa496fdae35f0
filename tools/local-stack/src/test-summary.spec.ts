import { formatCounts, sumJestSummaries } from './test-summary';

describe('sumJestSummaries', () => {
  it('adds up every project summary, colour codes and all', () => {
    const output = [
      '\u001b[1mTests:       \u001b[22m\u001b[1m\u001b[32m14 passed\u001b[39m\u001b[22m, 14 total',
      'Test Suites: 1 failed, 2 passed, 3 total',
      'Tests:       2 failed, 1 skipped, 5 passed, 8 total',
      'kafka: \u001b[1mTests:       \u001b[22m\u001b[1m\u001b[32m6 passed\u001b[39m\u001b[22m, 6 total',
      'some log line mentioning Tests: 99 passed',
    ].join('\n');
    expect(sumJestSummaries(output)).toEqual({ passed: 25, failed: 2, skipped: 1 });
  });

  it('formats the closing line CI reads', () => {
    expect(formatCounts({ passed: 19, failed: 2, skipped: 0 })).toBe('19 passed, 2 failed');
    expect(formatCounts({ passed: 3, failed: 0, skipped: 1 })).toBe('3 passed, 0 failed, 1 skipped');
  });
});
