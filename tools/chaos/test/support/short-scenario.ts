import { writeSync } from 'node:fs';
import { summaryLine, type ScenarioResult } from '../../src/report';
import { runScenario } from '../../src/runner';
import type { ScenarioName } from '../../src/scenarios';
import { SHORT_TIMINGS } from '../../src/timings';

/** Jest's own bound for one short scenario (start-up of the apps included). */
export const SHORT_SCENARIO_TIMEOUT_MS = 150_000;

/** Runs one scenario with the short timings, printing its progress and its counts. */
export async function runShortScenario(name: ScenarioName): Promise<ScenarioResult> {
  const started = Date.now();
  // synchronous: jest's forceExit must not cut the last lines
  const log = (line: string) => void writeSync(1, `[chaos ${name} ${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`);
  const result = await runScenario(name, { timings: SHORT_TIMINGS, log, command: `npx nx test chaos -- ${name}` });
  log(summaryLine(result));
  for (const note of result.notes) log(`  ${note}`);
  return result;
}

/** The pass condition, as separate expectations so a failure names what broke. */
export function expectPassed(result: ScenarioResult): void {
  expect(result.checks.filter((c) => !c.ok)).toEqual([]);
  expect({ lost: result.tally.lost, duplicates: result.tally.duplicates, lostKeys: result.tally.lostKeys }).toEqual({ lost: 0, duplicates: 0, lostKeys: [] });
  // a real stream went through: every message acknowledged and stored exactly once
  expect(result.tally.sent).toBeGreaterThan(50);
  expect(result.tally.acknowledged).toBe(result.tally.sent);
  expect(result.tally.stored).toBe(result.tally.sent);
  expect(result.recoveryMs).toBeDefined();
  expect(result.passed).toBe(true);
}
