import { Command, InvalidArgumentError } from 'commander';

export interface SoakOptions {
  rate: number;
  minutes: number;
  sampleSeconds: number;
  contentBytes: number;
  warmupSeconds: number;
  maxLagSeconds: number;
  rssSlackMib: number;
  maxSlopeMib: number;
  drainSeconds: number;
  out: string;
  keep: boolean;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number > 0');
  return n;
}

function whole(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number >= 1');
  return n;
}

export function soakProgram(): Command {
  return new Command('soak')
    .description(
      'Soak test on the running local stack: starts the gateway, an ingest-consumer and leader-metrics (child processes, private ' +
        'topics, groups and database), sends POST /messages at a fixed open-loop rate, samples consumer lag, RSS and error logs of ' +
        'every app, then checks that lag stayed bounded, memory stayed flat, no app logged an error and every acknowledged message ' +
        'was stored. Writes the result to BENCHMARKS.md (between soak markers); exits 1 if a check fails.',
    )
    .option('--rate <n>', 'messages per second (open loop); 50 is what this 2-core machine holds with the local stack (at 100 FerretDB runs at ~95 % of a core and the lag creeps up)', positive, 50)
    .option('--minutes <n>', 'how long to send', positive, 5)
    .option('--sample-seconds <s>', 'seconds between samples', whole, 10)
    .option('--content-bytes <n>', 'message content length', whole, 100)
    .option('--warmup-seconds <s>', 'memory is judged on the samples after this', whole, 60)
    .option('--max-lag-seconds <s>', 'lag bound: at most this many seconds of messages (rate × s) behind in any sample', positive, 5)
    .option('--rss-slack-mib <n>', 'memory is flat if the end RSS is at most this above its start after the warm-up ...', positive, 32)
    .option('--max-slope-mib <n>', '... and the fitted RSS slope after the warm-up is at most this many MiB per minute', positive, 4)
    .option('--drain-seconds <s>', 'after sending, how long the ingest-consumer may take to store the rest', whole, 60)
    .option('--out <file>', 'report file (its soak section is replaced)', 'BENCHMARKS.md')
    .option('--keep', 'keep the private topics, groups and database', false)
    .showHelpAfterError('(run with --help for usage)');
}
