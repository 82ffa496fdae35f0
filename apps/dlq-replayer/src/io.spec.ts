import { PassThrough } from 'node:stream';
import { askYesNo, PromptInterruptedError } from './io';

async function ask(answer: string | null, signal = new AbortController().signal): Promise<{ result: boolean; asked: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let asked = '';
  output.on('data', (chunk: Buffer) => {
    asked += chunk.toString();
  });
  const result = askYesNo('Replay 3 dead letters?', input, output, signal);
  if (answer === null) input.end();
  else input.write(`${answer}\n`);
  return { result: await result, asked };
}

describe('askYesNo', () => {
  it('is yes only for y or yes', async () => {
    expect(await ask('y')).toEqual({ result: true, asked: 'Replay 3 dead letters? [y/N] ' });
    expect((await ask(' YES ')).result).toBe(true);
    for (const no of ['', 'n', 'no', 'yep', 'sure']) expect((await ask(no)).result).toBe(false);
  });

  it('is no at the end of input', async () => {
    expect((await ask(null)).result).toBe(false);
  });

  it('rejects when interrupted', async () => {
    const controller = new AbortController();
    const input = new PassThrough();
    const asking = askYesNo('Replay?', input, new PassThrough(), controller.signal);
    controller.abort();
    await expect(asking).rejects.toThrow(PromptInterruptedError);
  });
});
