import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadAverages, machineFacts, REPO_ROOT } from '@wiber/testing';
import { chaosProgram, reproduceCommand, selectScenarios, type ChaosOptions } from './options';
import { DEFAULT_HEADER, renderReport, spliceSection, summaryLine, type ChaosReport, type ScenarioResult } from './report';
import { stopAllApps } from './apps';
import { runScenario } from './runner';
import { restoreStack } from './stack-control';
import { FULL_TIMINGS } from './timings';

const started = Date.now();
const log = (line: string): void => {
  process.stderr.write(`[chaos ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};

async function main(): Promise<number> {
  const program = chaosProgram(FULL_TIMINGS.rate);
  program.parse(process.argv);
  const options = program.opts<ChaosOptions>();
  const names = selectScenarios(program.args);
  const args = process.argv.slice(2);
  const command = `npm run chaos${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  const timings = { ...FULL_TIMINGS, rate: options.rate };

  // Ctrl+C or SIGTERM: stop the apps and put back whatever the running scenario stopped before leaving
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the apps and restoring the stack`);
      void stopAllApps()
        .then(() => restoreStack())
        .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }

  const loadBefore = loadAverages();
  const results: ScenarioResult[] = [];
  for (const name of names) {
    log(`=== ${name}`);
    const result = await runScenario(name, { timings, log, command: reproduceCommand(name, options.rate, FULL_TIMINGS.rate) });
    results.push(result);
    log(summaryLine(result));
  }
  const report: ChaosReport = {
    command,
    startedAt: new Date(started).toISOString(),
    elapsedS: (Date.now() - started) / 1000,
    machine: machineFacts(),
    loadBefore,
    loadAfter: loadAverages(),
    rate: options.rate,
    results,
  };
  const section = renderReport(report);
  process.stdout.write(`${section}\n`);
  if (options.write) {
    const out = resolve(REPO_ROOT, options.out);
    let existing = DEFAULT_HEADER;
    try {
      existing = readFileSync(out, 'utf8');
    } catch {
      // a new file starts with the default header
    }
    writeFileSync(out, spliceSection(existing, section));
    log(`written to ${out}`);
  }
  return results.every((r) => r.passed) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
