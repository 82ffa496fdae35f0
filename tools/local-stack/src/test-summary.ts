import { stripVTControlCharacters } from 'node:util';

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Adds up jest's "Tests: 1 failed, 2 skipped, 10 passed, 13 total" lines from a whole run's output. */
export function sumJestSummaries(output: string): TestCounts {
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  for (const line of stripVTControlCharacters(output).split('\n')) {
    // nx prefixes each line with the project name ("kafka: Tests: ...")
    const match = /^(?:[\w.@/-]+:)?\s*Tests:\s+(.*\btotal)\s*$/.exec(line);
    if (match === null) continue;
    for (const [, n, kind] of (match[1] ?? '').matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
      if (kind === 'passed') counts.passed += Number(n);
      else if (kind === 'failed') counts.failed += Number(n);
      else counts.skipped += Number(n);
    }
  }
  return counts;
}

export function formatCounts(counts: TestCounts): string {
  return `${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`;
}
