import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT, EXIT_CODES_HELP, type ExitCode } from './exit-codes';
import { parseCoordinates, parseList, parsePartitions, parsePositiveInt, parseRate, parseTime, type DeadLetterFilter } from './filters';
import { runInspect } from './inspect-command';
import type { Io } from './io';
import { runList } from './list-command';
import { runReplay } from './replay-command';
import { loadSettings, type ConnectionFlags } from './settings';
import { registryValueDecoder } from './value-decoder';

const ENVIRONMENT_HELP = `
Environment (flags win):
  KAFKA_BROKERS           bootstrap servers, host:port,...     (default 127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094)
  SCHEMA_REGISTRY_URL     Confluent-compatible registry API   (default http://127.0.0.1:8081/apis/ccompat/v7)
  DLQ_TOPIC               the dead-letter topic               (default wiber.messages.dlq)
  DLQ_REPLAYER_GROUP_ID   the replayer's consumer group       (default wiber.dlq-replayer)
  KAFKA_SSL, KAFKA_CONNECTION_TIMEOUT_MS, KAFKA_REQUEST_TIMEOUT_MS as for every Wiber app`;

interface FilterFlags {
  errorClass?: string[];
  reason?: string[];
  since?: number;
  until?: number;
  partition?: number[];
  limit?: number;
}

function withFilters(command: Command, verb: string): Command {
  return command
    .option('--error-class <names>', `only dead letters whose wiber.dlq.error.class is one of these (comma-separated), e.g. UndecodableValueError`, parseList)
    .option('--reason <reasons>', 'only these reasons (wiber.dlq.reason), e.g. unknown-schema-id,invalid-message', parseList)
    .option('--since <time>', 'only dead-lettered at or after this time: ISO-8601 or a duration ago (30m, 2h, 7d)', (value) => parseTime(value))
    .option('--until <time>', 'only dead-lettered before this time (same forms as --since)', (value) => parseTime(value))
    .option('--partition <numbers>', 'only these DLQ partitions (comma-separated)', parsePartitions)
    .option('--limit <n>', `${verb} at most n dead letters`, parsePositiveInt);
}

function filterOf(flags: FilterFlags): DeadLetterFilter {
  if (flags.since !== undefined && flags.until !== undefined && flags.since >= flags.until) {
    throw new CliError('--since must be before --until', EXIT.usage);
  }
  return { errorClasses: flags.errorClass, reasons: flags.reason, since: flags.since, until: flags.until, partitions: flags.partition };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const UNREACHABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSConnectionClosedError',
  'KafkaJSLockTimeout',
]);

/** Maps anything thrown to one line on stderr and an exit code. */
function reportError(error: unknown, io: Io, verbose: boolean): ExitCode {
  if (error instanceof CliError) {
    io.err(`wiber-dlq: ${error.message}`);
    return error.exitCode;
  }
  const name = error instanceof Error ? error.name : '';
  if (UNREACHABLE.has(name)) {
    io.err(`wiber-dlq: Kafka is unavailable: ${messageOf(error)}`);
    return EXIT.unavailable;
  }
  io.err(`wiber-dlq: unexpected error: ${messageOf(error)}${verbose ? '' : ' (--verbose for details)'}`);
  if (verbose && error instanceof Error && error.stack !== undefined) io.err(error.stack);
  return EXIT.internal;
}

/** Runs one command line (argv without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: Io, signal: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let exitCode: number = EXIT.ok;
  let verbose = false;
  const program = new Command('wiber-dlq')
    .description('List, inspect and replay the dead letters of the Wiber ingest-consumer (wiber.messages.dlq).')
    .addOption(new Option('--brokers <list>', 'Kafka bootstrap servers, host:port,...'))
    .addOption(new Option('--registry-url <url>', 'Schema Registry API base URL (inspect decodes values through it)'))
    .addOption(new Option('--dlq-topic <name>', 'the dead-letter topic'))
    .addOption(new Option('--timeout <seconds>', 'give up reaching Kafka after this long').argParser(parsePositiveInt).default(10))
    .option('--verbose', 'Kafka client logs and error details on stderr')
    .addHelpText('after', `${ENVIRONMENT_HELP}\n${EXIT_CODES_HELP}`)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
      // one line: commander's message, its suggestion, and where to look
      outputError: (text, write) => write(`wiber-dlq: ${text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()} (see --help)\n`),
    });
  const settingsFor = (command: Command, group?: string) => {
    const flags = command.optsWithGlobals<ConnectionFlags>();
    verbose = flags.verbose === true;
    return loadSettings(flags, group, env);
  };

  withFilters(program.command('list').description('show the dead letters (oldest first) without changing anything'), 'show')
    .option('--json', 'a JSON array instead of the table')
    .addHelpText('after', '\nReads the DLQ up to its end when the command starts, as a throwaway consumer group: no offsets are committed.')
    .action(async (flags: FilterFlags & { json?: boolean }, command: Command) => {
      exitCode = await runList(settingsFor(command), { filter: filterOf(flags), limit: flags.limit, json: flags.json === true }, io, signal);
    });

  program
    .command('inspect')
    .description('show one dead letter: every header, and its value decoded through the registry (hex when it cannot be)')
    .argument('<partition:offset>', 'the DLQ record, e.g. 1:42 (see list)', parseCoordinates)
    .option('--json', 'JSON instead of text')
    .action(async (coordinates: { partition: number; offset: string }, flags: { json?: boolean }, command: Command) => {
      const settings = settingsFor(command);
      const decode = registryValueDecoder(settings.kafka.schemaRegistryUrl, settings.timeoutMs);
      exitCode = await runInspect(settings, { ...coordinates, json: flags.json === true }, decode, io, signal);
    });

  withFilters(program.command('replay').description('republish dead letters to their source topics and commit past them'), 'replay')
    .option('--dry-run', 'show what would be replayed; write and commit nothing')
    .option('--rate <n>', 'at most n records per second (e.g. 50, 0.5)', parseRate)
    .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .option('--from-beginning', 're-scan the whole DLQ instead of resuming after what the group already replayed')
    .option('--group <id>', 'the replayer consumer group whose offsets record what was replayed')
    .option('--json', 'the summary as JSON')
    .addHelpText(
      'after',
      `
Each replayed record keeps the original key, value and headers (without the wiber.dlq.* context) and
gets wiber.replay.dlq-topic/-partition/-offset and wiber.replay.time; it goes to the topic named by its
wiber.dlq.topic header with acks=all, one record per send. After each one the group's offset on the DLQ
is committed, so running replay again (after a finish, a failure or Ctrl+C) continues where it stopped
and never replays a record twice by accident. Records skipped by the filters are committed past too:
use --from-beginning with filters to replay them later. A dead letter that fails to replay stops its
partition there; the others go on.`,
    )
    .action(
      async (
        flags: FilterFlags & { dryRun?: boolean; rate?: number; yes?: boolean; fromBeginning?: boolean; group?: string; json?: boolean },
        command: Command,
      ) => {
        exitCode = await runReplay(
          settingsFor(command, flags.group),
          {
            filter: filterOf(flags),
            limit: flags.limit,
            dryRun: flags.dryRun === true,
            rate: flags.rate,
            yes: flags.yes === true,
            fromBeginning: flags.fromBeginning === true,
            json: flags.json === true,
          },
          io,
          signal,
        );
      },
    );

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      return EXIT.usage;
    }
    return reportError(error, io, verbose);
  }
}
