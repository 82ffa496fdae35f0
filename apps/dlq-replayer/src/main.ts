import { EXIT } from './exit-codes';
import { runCli } from './cli';
import { processIo } from './io';

const stop = new AbortController();
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write('wiber-dlq: stopped at once; the record in hand may be replayed again by the next run\n');
      process.exit(EXIT.interrupted);
    }
    process.stderr.write(`wiber-dlq: ${signal}: stopping after the record in hand (again to quit at once)\n`);
    stop.abort();
  });
}

// `wiber-dlq list | head -1`: the reader went away, which is not an error of ours
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});

runCli(process.argv.slice(2), processIo(), stop.signal)
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`wiber-dlq: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT.internal);
  });
