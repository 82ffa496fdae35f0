import { Command, InvalidArgumentError } from 'commander';
import { isScenarioName, SCENARIO_NAMES, SCENARIOS, type ScenarioName } from './scenarios';

export interface ChaosOptions {
  rate: number;
  out: string;
  write: boolean;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0');
  return n;
}

/** The scenarios named on the command line (all when none), in the order given; unknown names throw. */
export function selectScenarios(args: readonly string[]): ScenarioName[] {
  if (args.length === 0) return [...SCENARIO_NAMES];
  const unknown = args.filter((a) => !isScenarioName(a));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown scenario ${unknown.join(', ')}; one of ${SCENARIO_NAMES.join(', ')}`);
  return [...new Set(args)] as ScenarioName[];
}

/** The command that reproduces one scenario with the same settings. */
export function reproduceCommand(name: ScenarioName, rate: number, defaultRate: number): string {
  return `npm run chaos -- ${name}${rate === defaultRate ? '' : ` --rate ${rate}`}`;
}

export function chaosProgram(defaultRate: number): Command {
  const list = SCENARIO_NAMES.map((name) => `  ${name.padEnd(14)} ${SCENARIOS[name].summary}`).join('\n');
  return new Command('chaos')
    .description(
      'Fault injection against the running local stack: each scenario streams messages through a private gateway, ' +
        'ingest-consumer (and leader-metrics) with Idempotency-Keys and a retrying client, injects one fault, restores it, ' +
        'waits for the pipeline to drain and counts sent / acknowledged / stored / lost / duplicated / dead letters and the ' +
        'time to recover. Writes the results table into RELIABILITY.md. Needs the stack up (npm run stack -- up).',
    )
    .argument('[scenarios...]', 'scenarios to run (default: all, in this order)')
    .option('--rate <messages/s>', 'messages started per second', positiveNumber, defaultRate)
    .option('--out <file>', 'report file, relative to the repository root', 'RELIABILITY.md')
    .option('--no-write', 'print the results without writing the report file')
    .addHelpText('after', `\nScenarios:\n${list}\n\nExit code: 0 when every scenario passed (lost = 0, duplicated = 0, recovered), 1 otherwise.`);
}
