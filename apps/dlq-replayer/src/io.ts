import { createInterface } from 'node:readline/promises';

/** What a command reads and writes besides Kafka: stdout for results, stderr for everything else. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** someone can answer a confirmation question */
  interactive: boolean;
  /** a progress bar can be drawn (stderr is a terminal) */
  progress: boolean;
  /** asks on stderr; true for y/yes; rejects with PromptInterruptedError when `signal` aborts (Ctrl+C) */
  confirm(question: string, signal: AbortSignal): Promise<boolean>;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    interactive: process.stdin.isTTY === true,
    progress: process.stderr.isTTY === true,
    confirm: (question, signal) => askYesNo(question, process.stdin, process.stderr, signal),
  };
}

export class PromptInterruptedError extends Error {
  constructor() {
    super('interrupted at the prompt');
    this.name = 'PromptInterruptedError';
  }
}

/** Reads one line; an empty answer or end of input is no. */
export async function askYesNo(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) throw new PromptInterruptedError();
  const rl = createInterface({ input, output, terminal: false });
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      rl.on('close', () => resolve(''));
      rl.question(`${question} [y/N] `, { signal }).then(resolve, () => reject(new PromptInterruptedError()));
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
