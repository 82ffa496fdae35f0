import { oneLineErrorProblems } from '@wiber/testing';
import { runCli } from './support/cli-process';

/**
 * Every subcommand of the built wiber-dlq, with a bad environment variable (exit 78) or a bad flag
 * or argument (exit 2): one line on stderr naming the variable or flag, nothing on stdout, no
 * stack trace. Kafka and the registry point at closed ports: these cases fail before anything is
 * contacted, so they need no local stack (a command that got that far would exit 69 instead).
 */
const UNREACHABLE = {
  KAFKA_BROKERS: '127.0.0.1:1',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1/apis/ccompat/v7',
  DLQ_TOPIC: 'test.dlq.bad-config',
  DLQ_REPLAYER_GROUP_ID: 'test-dlq-bad-config',
};

const SUBCOMMANDS: string[][] = [['list'], ['list', '--json'], ['inspect', '0:0'], ['replay', '--yes'], ['replay', '--dry-run']];

/** [variable named in the error, the bad environment] */
const BAD_ENVIRONMENT: Array<[string, Record<string, string>]> = [
  ['KAFKA_BROKERS', { KAFKA_BROKERS: 'nohost' }],
  ['KAFKA_BROKERS', { KAFKA_BROKERS: '127.0.0.1:9092\n127.0.0.1:9093' }],
  ['KAFKA_SSL', { KAFKA_SSL: 'maybe' }],
  ['KAFKA_CONNECTION_TIMEOUT_MS', { KAFKA_CONNECTION_TIMEOUT_MS: '0' }],
  ['KAFKA_REQUEST_TIMEOUT_MS', { KAFKA_REQUEST_TIMEOUT_MS: 'soon' }],
  ['SCHEMA_REGISTRY_URL', { SCHEMA_REGISTRY_URL: 'registry:8081' }],
  ['SCHEMA_REGISTRY_URL', { SCHEMA_REGISTRY_URL: 'ftp://127.0.0.1/registry' }],
  ['DLQ_TOPIC', { DLQ_TOPIC: '' }],
  ['DLQ_TOPIC', { DLQ_TOPIC: 'wiber messages dlq' }],
  ['DLQ_REPLAYER_GROUP_ID', { DLQ_REPLAYER_GROUP_ID: '' }],
];

/** [flag or argument named in the error, the command line] */
const BAD_FLAGS: Array<[string, string[]]> = [
  ['--brokers', ['--brokers', 'nohost', 'list']],
  ['--brokers', ['--brokers', 'a:1\nb:2', 'inspect', '0:0']],
  ['--registry-url', ['--registry-url', 'nope', 'inspect', '0:0']],
  ['--dlq-topic', ['--dlq-topic', '', 'list']],
  ['--dlq-topic', ['--dlq-topic', 'a/b', 'replay', '--yes']],
  ['--timeout', ['--timeout', '0', 'list']],
  ['--timeout', ['--timeout', 'abc', 'replay', '--dry-run']],
  ['--frobnicate', ['--frobnicate', 'list']],
  ["'frob'", ['frob']],
  ['--limit', ['list', '--limit', '0']],
  ['--limit', ['replay', '--yes', '--limit', '-1']],
  ['--since', ['list', '--since', 'yesterday']],
  ['--until', ['replay', '--dry-run', '--until', '2025-13-45']],
  ['--since', ['list', '--since', '2h', '--until', '3h']],
  ['--partition', ['list', '--partition', '-1']],
  ['--partition', ['replay', '--yes', '--partition', '0,x']],
  ['--reason', ['list', '--reason', ',']],
  ['--error-class', ['replay', '--dry-run', '--error-class', '']],
  ['--rate', ['replay', '--yes', '--rate', '0']],
  ['--rate', ['replay', '--yes', '--rate', 'fast']],
  ['--group', ['replay', '--yes', '--group', '']],
  ['--yes', ['replay']],
  ['partition:offset', ['inspect']],
  ['partition:offset', ['inspect', 'x:y']],
  ['partition:offset', ['inspect', '0:-1']],
  ["'inspect'", ['inspect', '0:1', 'extra']],
  ['--unknown', ['inspect', '0:0', '--unknown']],
  ['--json', ['--json', 'list']],
];

describe('wiber-dlq: bad environment variables, for every subcommand', () => {
  const cases = SUBCOMMANDS.flatMap((args) => BAD_ENVIRONMENT.map(([name, env]) => [args.join(' '), name, JSON.stringify(env), args, env] as const));

  it.concurrent.each(cases)('%s with %s: %s → exit 78, one line naming it', async (_command, name, _shown, args, env) => {
    const result = await runCli(args, { ...UNREACHABLE, ...env }, 20_000);
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 78, signal: null });
    expect(oneLineErrorProblems(result, /^wiber-dlq: /, [`invalid configuration: ${name} `])).toEqual([]);
  }, 30_000);
});

describe('wiber-dlq: bad flags and arguments', () => {
  it.concurrent.each(BAD_FLAGS.map(([name, args]) => [name, JSON.stringify(args), args] as const))(
    '%s: %s → exit 2, one line naming it',
    async (name, _shown, args) => {
      const result = await runCli(args, UNREACHABLE, 20_000);
      expect({ code: result.code, signal: result.signal }).toEqual({ code: 2, signal: null });
      expect(oneLineErrorProblems(result, /^wiber-dlq: /, [name])).toEqual([]);
    },
    30_000,
  );

  it('the base environment is valid: with good flags the command gets as far as Kafka (exit 69 at the closed port)', async () => {
    const result = await runCli(['--timeout', '1', 'list'], UNREACHABLE, 20_000);
    expect(result.code).toBe(69);
    expect(oneLineErrorProblems(result, /^wiber-dlq: /, ['Kafka'])).toEqual([]);
  }, 30_000);
});
