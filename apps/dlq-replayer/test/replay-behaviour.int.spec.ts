import { DEAD_LETTER_HEADERS as H } from '@wiber/kafka';
import { runCli } from '../src/cli';
import type { Io } from '../src/io';
import { chatMessage, cliEnv, header, Stack, uniqueNames, type TestNames } from './support/stack';

interface Summary {
  replayed: number;
  skippedByFilter: number;
  failed: number;
  limitReached: boolean;
  failures: Array<{ partition: number; offset: string; error: string }>;
}

/** The CLI in this process with a scripted operator: what a terminal would show and answer. */
function scriptedIo(answer: boolean): Io & { stdout: string[]; stderr: string[]; questions: string[] } {
  const io = {
    stdout: [] as string[],
    stderr: [] as string[],
    questions: [] as string[],
    interactive: true,
    progress: false,
    out: (text: string) => io.stdout.push(text),
    err: (text: string) => io.stderr.push(text),
    confirm: async (question: string) => {
      io.questions.push(question);
      return answer;
    },
  };
  return io;
}

async function replay(names: TestNames, answer: boolean, ...args: string[]): Promise<{ code: number; io: ReturnType<typeof scriptedIo> }> {
  const io = scriptedIo(answer);
  const code = await runCli(['replay', ...args], io, new AbortController().signal, cliEnv(names));
  return { code, io };
}

function summaryOf(io: { stdout: string[] }): Summary {
  return JSON.parse(io.stdout.join('\n')) as Summary;
}

describe('wiber-dlq replay: confirmation, filters, limits and failures (in process, on the local stack)', () => {
  let names: TestNames;
  let stack: Stack;

  beforeEach(async () => {
    names = uniqueNames('behaviour');
    stack = new Stack(names);
    await stack.setUp().catch((error: Error) => {
      throw new Error(`${error.message} — is the local stack up? (npm run stack -- up)`);
    });
  });

  afterEach(() => stack.tearDown());

  const letters = (count: number, partition: number, reason = 'invalid-message') =>
    Array.from({ length: count }, (_, i) => {
      const message = chatMessage(i, `p${partition}`);
      return { key: message.conversationId, value: stack.encode(message), partition, reason, errorClass: 'ValidationError', errorMessage: 'content is empty' };
    });

  it('asks on a terminal, naming what it will do; "no" writes and commits nothing (exit 5), "yes" replays', async () => {
    await stack.produceDeadLetters([...letters(1, 0), ...letters(1, 1, 'unknown-schema-id')]);
    const declined = await replay(names, false);
    expect(declined.code).toBe(5);
    expect(declined.io.questions).toEqual([
      `Replay 2 dead letters from ${names.dlq} (from the offsets committed by ${names.replayerGroup}) to ${names.source} (2)?`,
    ]);
    expect(declined.io.stderr).toEqual(['nothing replayed']);
    expect(await stack.total(names.source)).toBe(0);
    expect(await stack.committed(names.replayerGroup, names.dlq)).toBe(0);

    const filtered = await replay(names, false, '--reason', 'invalid-message');
    expect(filtered.io.questions[0]).toBe(
      `Replay 1 dead letter from ${names.dlq} (from the offsets committed by ${names.replayerGroup}) to ${names.source} (1); 1 not matching the filters will be committed past?`,
    );

    const accepted = await replay(names, true);
    expect(accepted.code).toBe(0);
    expect(accepted.io.stdout).toEqual([`replayed 2, skipped by filter 0, failed 0 (${names.dlq} -> ${names.source} (2); group ${names.replayerGroup})`]);
    expect(await stack.total(names.source)).toBe(2);

    const nothingLeft = await replay(names, true);
    expect(nothingLeft.io.questions).toEqual([]);
    expect(nothingLeft.io.stdout).toEqual([`replayed 0, skipped by filter 0, failed 0 (${names.dlq} -> no topic; group ${names.replayerGroup})`]);
  }, 90_000);

  it('commits past records skipped by a filter; --from-beginning with a filter replays them later and nothing else', async () => {
    await stack.produceDeadLetters([...letters(2, 0, 'invalid-message'), ...letters(2, 0, 'unknown-schema-id')]);
    const first = await replay(names, true, '--yes', '--json', '--reason', 'unknown-schema-id');
    expect(summaryOf(first.io)).toMatchObject({ replayed: 2, skippedByFilter: 2, failed: 0 });
    expect(await stack.committed(names.replayerGroup, names.dlq)).toBe(4);

    const resumed = await replay(names, true, '--yes', '--json', '--reason', 'invalid-message');
    expect(summaryOf(resumed.io)).toMatchObject({ replayed: 0, skippedByFilter: 0 });

    const rescan = await replay(names, true, '--yes', '--json', '--from-beginning', '--reason', 'invalid-message');
    expect(summaryOf(rescan.io)).toMatchObject({ replayed: 2, skippedByFilter: 2 });
    const replayed = await stack.read(names.source);
    expect(replayed.map((r) => header(r, 'wiber.replay.dlq-offset')).sort()).toEqual(['0', '1', '2', '3']);
  }, 90_000);

  it('stops at --limit, leaving the rest for the next run', async () => {
    await stack.produceDeadLetters(letters(5, 2));
    const limited = await replay(names, true, '--yes', '--json', '--limit', '2');
    expect(summaryOf(limited.io)).toMatchObject({ replayed: 2, limitReached: true });
    expect(await stack.committed(names.replayerGroup, names.dlq)).toBe(2);
    const rest = await replay(names, true, '--yes', '--json');
    expect(summaryOf(rest.io)).toMatchObject({ replayed: 3, limitReached: false });
    expect(await stack.total(names.source)).toBe(5);
  }, 90_000);

  it('stops a partition at a dead letter it cannot replay (exit 3), goes on with the others, and retries it next time', async () => {
    const [broken] = letters(1, 0);
    if (broken === undefined) throw new Error('no letter');
    await stack.produceDeadLetters([...letters(1, 0), ...letters(2, 1)]);
    // no wiber.dlq.topic header: nowhere to replay it to
    await stack.produce(names.dlq, [{ key: broken.key, value: broken.value, partition: 0, headers: { [H.reason]: 'invalid-message' } }]);
    await stack.produceDeadLetters(letters(1, 0));

    const run = await replay(names, true, '--yes');
    expect(run.code).toBe(3);
    expect(run.io.stdout).toEqual([`replayed 3, skipped by filter 0, failed 1 (${names.dlq} -> ${names.source} (3); group ${names.replayerGroup})`]);
    expect(run.io.stderr[0]).toBe(`failed ${names.dlq} 0:1 -> ?: no wiber.dlq.topic header: not a dead letter wiber-dlq can replay`);
    // partition 0: the first record replayed, the broken one and the one after it not; partition 1: both
    expect(await stack.committed(names.replayerGroup, names.dlq)).toBe(1 + 2);

    const again = await replay(names, true, '--yes', '--json');
    expect(again.code).toBe(3);
    expect(summaryOf(again.io)).toMatchObject({ replayed: 0, failed: 1, failures: [{ partition: 0, offset: '1' }] });
  }, 90_000);
});
