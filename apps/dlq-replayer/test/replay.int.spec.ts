import { LateSchema, waitFor, type AppProcess } from '@wiber/testing';
import { CliProcess, runCli } from './support/cli-process';
import { startIngestConsumer, StoredMessages } from './support/ingest';
import { chatMessage, cliEnv, header, Stack, uniqueNames, type TestNames } from './support/stack';

interface Summary {
  replayed: number;
  skippedByFilter: number;
  failed: number;
  interrupted: boolean;
  targets: Record<string, number>;
}

describe('wiber-dlq replay with the real ingest-consumer on the local stack', () => {
  let names: TestNames;
  let stack: Stack | undefined;
  let stored: StoredMessages | undefined;
  let ingest: AppProcess | undefined;
  const clis: CliProcess[] = [];

  const setUp = async (label: string): Promise<Stack> => {
    names = uniqueNames(label);
    stack = new Stack(names);
    await stack.setUp().catch((error: Error) => {
      throw new Error(`${error.message} — is the local stack up? (npm run stack -- up)`);
    });
    stored = new StoredMessages(names.database);
    return stack;
  };

  const tearDown = async (): Promise<void> => {
    await Promise.all(clis.map((cli) => cli.ensureStopped()));
    clis.length = 0;
    await ingest?.ensureStopped();
    ingest = undefined;
    await stack?.tearDown();
    await stored?.dropAndClose();
    stack = undefined;
    stored = undefined;
  };

  afterEach(tearDown);

  it('replays a dead letter whose cause was fixed: stored exactly once; a second replay replays nothing; --dry-run writes nothing', async () => {
    // the cause: a schema id the registry did not know when the records were consumed (see LateSchema)
    for (let round = 1; round <= 3; round += 1) {
      const s = await setUp(`fixed-${round}`);
      const late = new LateSchema(`${names.source}-late-value`);
      const predicted = await late.predict();
      const good = [chatMessage(0, 'good'), chatMessage(1, 'good')];
      const lateMessages = [chatMessage(2, 'late'), chatMessage(3, 'late'), chatMessage(4, 'late')];
      await s.produce(names.source, [
        { key: good[0]?.conversationId ?? null, value: s.encode(good[0] ?? chatMessage(9, 'x')), headers: { 'x-correlation-id': 'good-0' } },
        ...lateMessages.map((m, i) => ({ key: m.conversationId, value: late.encode(m), headers: { 'x-correlation-id': `late-${i}` } })),
        { key: good[1]?.conversationId ?? null, value: s.encode(good[1] ?? chatMessage(9, 'x')), headers: { 'x-correlation-id': 'good-1' } },
      ]);
      ingest = await startIngestConsumer(names, { INGEST_RECORD_RETRIES: '0' });
      const db = stored;
      if (db === undefined) throw new Error('no database');
      await waitFor('the 3 late records in the DLQ and the 2 good ones stored', async () => (await s.total(names.dlq)) === 3 && (await db.count()) === 2, 60_000);

      const listed = await runCli(['list', '--json'], cliEnv(names));
      expect(listed.code).toBe(0);
      const letters = JSON.parse(listed.stdout) as Array<{ reason: string; source: { topic: string }; correlationId: string }>;
      expect(letters.map((l) => [l.reason, l.source.topic]).sort()).toEqual(Array(3).fill(['unknown-schema-id', names.source]));
      expect(letters.map((l) => l.correlationId).sort()).toEqual(['late-0', 'late-1', 'late-2']);

      const registered = await late.register();
      if (registered !== predicted) {
        process.stdout.write(`schema id ${predicted} was taken by another client (got ${registered}); starting over\n`);
        await tearDown();
        continue;
      }

      const dryRun = await runCli(['replay', '--dry-run'], cliEnv(names));
      expect({ code: dryRun.code, stderr: dryRun.stderr }).toEqual({ code: 0, stderr: '' });
      expect(dryRun.stdout).toMatch(new RegExp(`dry run: would replay 3 to ${names.source.replace(/\./g, '\\.')} \\(3\\), skip 0 by filter`));
      expect(await s.total(names.source)).toBe(5);
      expect(await s.committed(names.replayerGroup, names.dlq)).toBe(0);

      const first = await runCli(['replay', '--yes', '--json'], cliEnv(names));
      expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(first.stdout) as Summary).toMatchObject({ replayed: 3, skippedByFilter: 0, failed: 0, interrupted: false, targets: { [names.source]: 3 } });
      await waitFor('the 3 replayed messages to be stored', async () => (await db.count()) === 5, 60_000);
      for (const message of [...good, ...lateMessages]) expect(await db.copiesOf(message.messageId)).toBe(1);

      // republished as they were, plus where they came from; the DLQ's failure context is not carried
      const dlqRecords = await s.read(names.dlq);
      const replayed = (await s.read(names.source)).filter((r) => header(r, 'wiber.replay.dlq-offset') !== undefined);
      expect(replayed).toHaveLength(3);
      for (const record of replayed) {
        const origin = dlqRecords.find((d) => String(d.partition) === header(record, 'wiber.replay.dlq-partition') && d.offset === header(record, 'wiber.replay.dlq-offset'));
        expect(origin).toBeDefined();
        expect(record.key).toEqual(origin?.key);
        expect(record.value).toEqual(origin?.value);
        expect(header(record, 'x-correlation-id')).toBe(header(origin ?? record, 'x-correlation-id'));
        expect(header(record, 'wiber.replay.dlq-topic')).toBe(names.dlq);
        expect(Date.parse(header(record, 'wiber.replay.time') ?? '')).toBeGreaterThan(Date.now() - 120_000);
        expect(Object.keys(record.headers ?? {}).filter((name) => name.startsWith('wiber.dlq.'))).toEqual([]);
      }
      expect(await s.committed(names.replayerGroup, names.dlq)).toBe(3);

      const second = await runCli(['replay', '--yes', '--json'], cliEnv(names));
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout) as Summary).toMatchObject({ replayed: 0, skippedByFilter: 0, failed: 0 });
      expect(await s.total(names.source)).toBe(8);
      ingest.signal('SIGTERM');
      expect((await ingest.exited).code).toBe(0);
      expect(await db.count()).toBe(5);
      return;
    }
    throw new Error('the predicted schema id was taken by another client three times in a row');
  }, 180_000);

  it('after SIGINT half-way, a second run replays the rest: nothing lost, nothing replayed or stored twice', async () => {
    const s = await setUp('sigint');
    const total = 36;
    const messages = Array.from({ length: total }, (_, i) => chatMessage(i, 'interrupted'));
    await s.produceDeadLetters(
      messages.map((m, i) => ({
        key: m.conversationId,
        value: s.encode(m),
        headers: { 'x-correlation-id': `corr-${i}` },
        partition: i % 3,
        reason: 'rejected-by-mongo',
        errorClass: 'MongoWriteError',
        errorMessage: 'code 121: Document failed validation',
      })),
    );
    ingest = await startIngestConsumer(names);
    const db = stored;
    if (db === undefined) throw new Error('no database');

    const interrupted = new CliProcess(['replay', '--yes', '--rate', '8'], cliEnv(names));
    clis.push(interrupted);
    await waitFor('a third of the dead letters to be replayed', async () => (await s.total(names.source)) >= total / 3, 60_000, 50);
    interrupted.signal('SIGINT');
    const exit = await interrupted.exited;
    expect(exit.code).toBe(130);
    expect(exit.stderr).toMatch(/interrupted: what was replayed is committed/);
    const replayedFirst = await s.total(names.source);
    expect(replayedFirst).toBeLessThan(total);
    // every record replayed was committed, and nothing else
    expect(await s.committed(names.replayerGroup, names.dlq)).toBe(replayedFirst);
    expect(exit.stdout).toMatch(new RegExp(`^replayed ${replayedFirst}, skipped by filter 0, failed 0 `));

    const rest = await runCli(['replay', '--yes', '--json'], cliEnv(names));
    expect(rest.code).toBe(0);
    expect(JSON.parse(rest.stdout) as Summary).toMatchObject({ replayed: total - replayedFirst, failed: 0, interrupted: false });
    expect(await s.total(names.source)).toBe(total);
    const republished = await s.read(names.source);
    expect(new Set(republished.map((r) => `${header(r, 'wiber.replay.dlq-partition')}:${header(r, 'wiber.replay.dlq-offset')}`)).size).toBe(total);

    await waitFor('every replayed message to be stored', async () => (await db.count()) === total, 60_000);
    expect(await db.distinctIds()).toBe(total);
  }, 180_000);
});
