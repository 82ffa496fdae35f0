import { Command, InvalidArgumentError } from 'commander';
import { GATEWAY_VARIANTS } from './variants';

export interface BenchOptions {
  duration: number;
  warmup: number;
  connections: number[];
  maxRequests: number;
  ceilingBatch: number;
  ceilingMaxRecords: number;
  sizes: number[];
  variants: string[];
  baselineRef: string;
  ingestInstances: number[];
  ingestMib: number;
  e2e: boolean;
  e2eRate: number;
  e2eSeconds: number;
  e2ePollMs: number;
  e2eMaxGets: number;
  e2eReadEvery: number;
  readCost: boolean;
  ingest: boolean;
  ingestMessages: number;
  ingestChunk: number;
  maxLoad: number;
  quietWait: number;
  out: string;
  keep: boolean;
}

function whole(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number >= ${min}`);
    return n;
  };
}

/** "64,256" -> [64, 256] */
export function wholeList(value: string): number[] {
  const items = value.split(',').map((v) => Number(v.trim()));
  if (items.length === 0 || items.some((n) => !Number.isInteger(n) || n < 1)) throw new InvalidArgumentError('must be whole numbers >= 1, separated by commas');
  return items;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number > 0');
  return n;
}

/** "before,default" -> ['before', 'default'] */
export function nameList(value: string): string[] {
  const items = value.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  if (items.length === 0) throw new InvalidArgumentError('must be names separated by commas');
  return items;
}

export function benchProgram(): Command {
  return new Command('bench')
    .description(
      'Benchmarks Wiber on the running local stack, side by side in one run, at several message sizes: the gateway (variants ' +
        'side by side) vs a bare kafkajs producer, end-to-end latency at a fixed rate, and the ingest-consumer (1 and 2 instances) ' +
        'vs a bare Mongo bulk insert. Writes the results to BENCHMARKS.md.',
    )
    .option('--sizes <bytes>', 'message content sizes to compare, in bytes (each ±20 %), separated by commas', wholeList, [100, 1024, 16_384])
    .option('--duration <s>', 'measured seconds of each gateway run and of the producer ceiling, per size', whole(1), 5)
    .option('--warmup <s>', 'unreported warm-up seconds before each of those', whole(0), 2)
    .option('--connections <list>', 'concurrent HTTP connections (closed loop); each gateway is run at each of these', wholeList, [64, 256])
    .option('--max-requests <n>', 'stop a gateway run after this many responses', whole(1), 100_000)
    .option('--ceiling-batch <n>', 'records per send of the bare producer', whole(1), 500)
    .option('--ceiling-max-records <n>', 'stop the bare producer after this many records', whole(1), 2_000_000)
    .option('--variants <names>', `gateway variants run side by side (${GATEWAY_VARIANTS.map((v) => `${v.key}: ${v.label}`).join('; ')})`, nameList, ['before', 'default'])
    .option('--baseline-ref <git ref>', 'the commit the "before" variant runs the gateway from (its apps/gateway, exported with git archive)', 'HEAD')
    .option('--no-e2e', 'skip the end-to-end latency run')
    .option('--e2e-rate <n>', 'messages per second of the end-to-end run', positive, 50)
    .option('--e2e-seconds <s>', 'seconds of the end-to-end run, per size', whole(1), 10)
    .option('--e2e-poll-ms <ms>', 'least pause between GETs of a message not yet readable', whole(1), 10)
    .option('--e2e-read-every <n>', 'poll GET for every n-th message of the end-to-end run (reads cost: see the read-cost table)', whole(1), 10)
    .option('--e2e-max-gets <n>', 'most GETs in flight at once during the end-to-end run (a safety valve)', whole(1), 4)
    .option('--no-read-cost', 'skip measuring GET latency against collection size')
    .option('--no-ingest', 'skip the ingest vs bare Mongo run')
    .option('--ingest-messages <n>', 'records the ingest-consumers store (and the bare insert writes) per size and instance count, at most', whole(1), 20_000)
    .option('--ingest-mib <n>', '... and at most this many MiB of content (fewer records of large sizes)', whole(1), 96)
    .option('--ingest-instances <list>', 'ingest-consumer instances (one group) to compare', wholeList, [1, 2])
    .option('--ingest-chunk <n>', 'documents per insertMany of the bare insert (the consumer batches 500 by default)', whole(1), 500)
    .option('--max-load <x>', 'wait until the 1-minute load average is below this before starting', positive, 1.5)
    .option('--quiet-wait <s>', 'wait at most this long for that, then run anyway (the load is reported)', whole(0), 120)
    .option('--out <file>', 'report file (its generated section is replaced)', 'BENCHMARKS.md')
    .option('--keep', 'keep the private topics, groups and databases', false)
    .showHelpAfterError('(run with --help for usage)');
}
