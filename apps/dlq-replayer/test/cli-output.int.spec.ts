import { runCli, type CliResult } from './support/cli-process';
import { chatMessage, cliEnv, Stack, uniqueNames, type TestNames } from './support/stack';

/** Runs the built CLI against this suite's DLQ. */
function wiberDlq(names: TestNames, ...args: string[]): Promise<CliResult> {
  return runCli(args, cliEnv(names));
}

function lines(text: string): string[] {
  return text.trimEnd().split('\n');
}

describe('wiber-dlq (the built bundle) on the local stack: output and errors', () => {
  const names = uniqueNames('cli');
  const stack = new Stack(names);
  const valid = chatMessage(0, 'decodable');

  beforeAll(async () => {
    await stack.setUp().catch((error: Error) => {
      throw new Error(`${error.message} — is the local stack up? (npm run stack -- up)`);
    });
    await stack.produceDeadLetters([
      { key: valid.conversationId, value: stack.encode(valid), headers: { 'x-correlation-id': 'corr-0' }, partition: 0, reason: 'unknown-schema-id', errorClass: 'UndecodableValueError', errorMessage: 'schema id 77 is not in the registry', sourcePartition: 3, sourceOffset: 10 },
      { key: 'alice:bob', value: Buffer.from([0x01, 0, 0, 0, 1, 0x02]), headers: { 'x-correlation-id': 'corr-1' }, partition: 1, reason: 'bad-magic-byte', errorClass: 'UndecodableValueError', errorMessage: 'value starts with magic byte 1, expected 0', sourcePartition: 3, sourceOffset: 11 },
      { key: 'alice:bob', value: stack.encode({ ...chatMessage(2, 'empty'), content: '' }), partition: 2, reason: 'invalid-message', errorClass: 'ValidationError', errorMessage: 'content is empty', sourcePartition: 3, sourceOffset: 12 },
      { key: 'carol:dave', value: null, partition: 0, reason: 'missing-value', errorClass: 'MissingValue', errorMessage: 'the record has no value (tombstone or empty)', sourcePartition: 5, sourceOffset: 0 },
    ]);
  }, 60_000);

  afterAll(() => stack.tearDown());

  it('list prints a table, oldest first, and a count', async () => {
    const result = await wiberDlq(names, 'list');
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const [heading, ...rest] = lines(result.stdout);
    expect(heading).toMatch(/^DLQ\s+DEAD-LETTERED\s+SOURCE\s+REASON\s+ERROR CLASS\s+ATTEMPTS\s+KEY\s+ERROR$/);
    const rows = rest.slice(0, 4);
    expect(rows.map((row) => row.split(/\s{2,}/).slice(0, 1).concat(row.split(/\s{2,}/).slice(2, 5)))).toEqual([
      ['0:0', `${names.source} 3:10`, 'unknown-schema-id', 'UndecodableValueError'],
      ['1:0', `${names.source} 3:11`, 'bad-magic-byte', 'UndecodableValueError'],
      ['2:0', `${names.source} 3:12`, 'invalid-message', 'ValidationError'],
      ['0:1', `${names.source} 5:0`, 'missing-value', 'MissingValue'],
    ]);
    expect(rows[1]).toMatch(/ 1 +alice:bob +value starts with magic byte 1, expected 0$/);
    expect(rows[0]).toMatch(/^0:0 +\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z /);
    expect(rest.slice(4)).toEqual(['', `4 matching dead letters in ${names.dlq} (4 scanned)`]);
  }, 30_000);

  it('list --json prints one JSON array with every field a script needs', async () => {
    const result = await wiberDlq(names, 'list', '--json');
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(listed).toHaveLength(4);
    expect(listed[1]).toEqual({
      partition: 1,
      offset: '0',
      deadLetteredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      key: 'alice:bob',
      source: { topic: names.source, partition: '3', offset: '11', timestamp: expect.any(String) },
      reason: 'bad-magic-byte',
      errorClass: 'UndecodableValueError',
      errorMessage: 'value starts with magic byte 1, expected 0',
      attempts: 1,
      firstFailure: expect.any(String),
      lastFailure: expect.any(String),
      group: names.ingestGroup,
      service: 'ingest-consumer',
      instance: 'crafted',
      correlationId: 'corr-1',
      valueBytes: 6,
    });
    expect(listed[3]).toMatchObject({ partition: 0, offset: '1', key: 'carol:dave', valueBytes: null, correlationId: null });
  }, 30_000);

  it('list filters by reason, error class, partition, time and limit', async () => {
    const offsets = async (...args: string[]): Promise<string[]> => {
      const result = await wiberDlq(names, 'list', '--json', ...args);
      expect(result.code).toBe(0);
      return (JSON.parse(result.stdout) as Array<{ partition: number; offset: string }>).map((l) => `${l.partition}:${l.offset}`);
    };
    expect(await offsets('--reason', 'bad-magic-byte,invalid-message')).toEqual(['1:0', '2:0']);
    expect(await offsets('--error-class', 'ValidationError')).toEqual(['2:0']);
    expect(await offsets('--partition', '0')).toEqual(['0:0', '0:1']);
    expect(await offsets('--limit', '2')).toEqual(['0:0', '1:0']);
    expect(await offsets('--since', '2099-01-01')).toEqual([]);
    expect(await offsets('--since', '1h', '--until', '2099-01-01T00:00:00Z')).toHaveLength(4);

    const limited = await wiberDlq(names, 'list', '--limit', '1');
    expect(lines(limited.stdout).pop()).toBe(`the oldest 1 of 4 matching dead letters in ${names.dlq} (4 scanned)`);
    const none = await wiberDlq(names, 'list', '--reason', 'no-such-reason');
    expect(none.stdout).toBe(`no dead letters match in ${names.dlq} (4 of 4 scanned)\n`);
  }, 60_000);

  it('inspect shows every header and the value decoded through the registry', async () => {
    const result = await wiberDlq(names, 'inspect', '0:0');
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const out = lines(result.stdout);
    expect(out[0]).toMatch(new RegExp(`^${names.dlq.replace(/\./g, '\\.')} 0:0, dead-lettered \\d{4}-.*Z$`));
    expect(out[1]).toBe(`key: ${valid.conversationId}`);
    expect(out).toEqual(
      expect.arrayContaining([
        'headers:',
        '  x-correlation-id: corr-0',
        `  wiber.dlq.topic: ${names.source}`,
        '  wiber.dlq.partition: 3',
        '  wiber.dlq.offset: 10',
        `  wiber.dlq.group: ${names.ingestGroup}`,
        '  wiber.dlq.reason: unknown-schema-id',
        '  wiber.dlq.error.class: UndecodableValueError',
        '  wiber.dlq.error.message: schema id 77 is not in the registry',
        '  wiber.dlq.error.stack:',
        '    UndecodableValueError: schema id 77 is not in the registry',
        '        at test (crafted)',
        '  wiber.dlq.attempts: 1',
        '  wiber.dlq.service: ingest-consumer',
        '  wiber.dlq.instance: crafted',
        `    "messageId": "${valid.messageId}",`,
        `    "content": "${valid.content}",`,
      ]),
    );
    expect(out.find((line) => line.startsWith('value:'))).toMatch(/^value: \d+ bytes, Avro, schema id \d+ \(decoded through the registry\):$/);
  }, 30_000);

  it('inspect shows a value it cannot decode as hex, with the reason', async () => {
    const result = await wiberDlq(names, 'inspect', '1:0');
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    expect(out[out.length - 2]).toBe('value: 6 bytes, not decodable (bad-magic-byte: value starts with magic byte 1, expected 0), hex:');
    expect(out[out.length - 1]).toMatch(/^ {2}00000000 {2}01 00 00 00 01 02 {2,}\.{6}$/);
    const tombstone = await wiberDlq(names, 'inspect', '0:1');
    expect(lines(tombstone.stdout).pop()).toBe('value: null (tombstone)');
  }, 30_000);

  it('inspect --json gives headers and the decoded value as JSON', async () => {
    const result = await wiberDlq(names, 'inspect', '--json', '0:0');
    expect(result.code).toBe(0);
    const inspected = JSON.parse(result.stdout) as { headers: Record<string, string>; value: { encoding: string; decoded: Record<string, unknown> } };
    expect(inspected).toMatchObject({ topic: names.dlq, partition: 0, offset: '0', key: valid.conversationId });
    expect(inspected.headers).toMatchObject({ 'x-correlation-id': 'corr-0', 'wiber.dlq.reason': 'unknown-schema-id', 'wiber.dlq.offset': '10' });
    expect(inspected.value).toMatchObject({ encoding: 'avro', decoded: { messageId: valid.messageId, content: valid.content, sentAt: valid.sentAt } });
    const hex = JSON.parse((await wiberDlq(names, 'inspect', '--json', '1:0')).stdout) as { value: unknown };
    expect(hex.value).toEqual({ bytes: 6, encoding: 'hex', hex: '010000000102', undecodable: { reason: 'bad-magic-byte', detail: 'value starts with magic byte 1, expected 0' } });
  }, 30_000);

  it('replay --dry-run shows what it would replay and writes and commits nothing', async () => {
    const result = await wiberDlq(names, 'replay', '--dry-run', '--reason', 'unknown-schema-id,bad-magic-byte');
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const out = lines(result.stdout);
    expect(out[0]).toMatch(/^DLQ\s+DEAD-LETTERED/);
    expect(out.slice(1, 3).map((row) => row.split(/\s+/)[0])).toEqual(['0:0', '1:0']);
    expect(out.pop()).toBe(
      `dry run: would replay 2 to ${names.source} (2), skip 2 by filter, reading ${names.dlq} from the offsets committed by ${names.replayerGroup}; nothing written, no offsets committed`,
    );
    expect(await stack.total(names.source)).toBe(0);
    expect(await stack.committed(names.replayerGroup, names.dlq)).toBe(0);
  }, 30_000);

  it.each([
    [['inspect', '2:5'], 4, `wiber-dlq: ${'DLQ'} has no record at 2:5 (partition 2 holds offsets 0-0)`],
    [['inspect', '7:0'], 4, `wiber-dlq: DLQ has no partition 7 (it has 3: 0, 1, 2)`],
    [['list', '--partition', 'x'], 2, `wiber-dlq: option '--partition <numbers>' argument 'x' is invalid. "x" is not a partition number (see --help)`],
    [['list', '--frobnicate'], 2, `wiber-dlq: unknown option '--frobnicate' (see --help)`],
    [['replay', '--rate', 'fast', '--yes'], 2, `wiber-dlq: option '--rate <n>' argument 'fast' is invalid. expected records per second above 0, e.g. 50 or 0.5 (see --help)`],
    [['replay'], 2, 'wiber-dlq: replay writes to the source topics and needs confirmation: run it on a terminal, or pass --yes (--dry-run shows what it would do)'],
    [['list', '--since', '2h', '--until', '3h'], 2, 'wiber-dlq: --since must be before --until'],
    [['--dlq-topic', 'test.dlq.no-such-topic', 'list'], 4, 'wiber-dlq: topic test.dlq.no-such-topic does not exist'],
    [['--brokers', '127.0.0.1:1', 'list'], 69, 'wiber-dlq: cannot reach Kafka at 127.0.0.1:1: Connection error: connect ECONNREFUSED 127.0.0.1:1'],
    [['--brokers', 'nohost', 'list'], 2, 'wiber-dlq: option --brokers is invalid (must be a comma-separated list of host:port, bad entries: nohost; got "nohost")'],
  ])('%j exits %i with one line on stderr and nothing on stdout', async (args, code, line) => {
    const result = await wiberDlq(names, ...args);
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code, stdout: '', stderr: `${line.replace('DLQ', names.dlq)}\n` });
  }, 30_000);

  it('reports unreachable brokers within --timeout, with one line and exit 69', async () => {
    const started = Date.now();
    const result = await runCli(['--timeout', '2', 'list'], cliEnv(names, { KAFKA_BROKERS: '127.0.0.1:1' }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code).toBe(69);
    expect(lines(result.stderr)).toHaveLength(1);
  }, 30_000);

  it('reports an invalid environment variable with exit 78', async () => {
    const result = await runCli(['list'], cliEnv(names, { KAFKA_BROKERS: 'nohost' }));
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 78,
      stderr: 'wiber-dlq: invalid configuration: KAFKA_BROKERS is invalid (must be a comma-separated list of host:port, bad entries: nohost; got "nohost")\n',
    });
  }, 30_000);

  it.each([[[]], [['list']], [['inspect']], [['replay']]])('%j --help exits 0 with usage', async (command) => {
    const result = await wiberDlq(names, ...command, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: wiber-dlq ${command.join(' ')}`.trimEnd()));
    expect(result.stderr).toBe('');
  }, 30_000);
});
