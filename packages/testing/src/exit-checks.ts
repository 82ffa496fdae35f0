import type { ExitResult } from './app-process';

/** The process's exit, or SIGKILL after `limitMs` (a process that does not stop is a failure). */
export async function exitWithin(
  child: { exited: Promise<ExitResult>; signal(signal: NodeJS.Signals): void },
  limitMs: number,
): Promise<ExitResult> {
  const timer = setTimeout(() => child.signal('SIGKILL'), limitMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

const STACK_FRAME = /\bat .*\(.*:\d+:\d+\)|node:internal/;

/**
 * What is wrong with an error exit that should print exactly one line on stderr, starting with
 * `start` and containing every `mention`, nothing on stdout and no stack trace; [] when nothing.
 */
export function oneLineErrorProblems(output: { stdout: string; stderr: string }, start: RegExp, mentions: readonly string[]): string[] {
  const problems: string[] = [];
  const lines = output.stderr.split('\n');
  const first = lines[0] ?? '';
  if (output.stdout !== '') problems.push(`stdout is not empty: ${JSON.stringify(output.stdout)}`);
  if (lines.length !== 2 || lines[1] !== '') problems.push(`stderr is not one line: ${JSON.stringify(output.stderr)}`);
  if (!start.test(first)) problems.push(`the line does not match ${start}: ${JSON.stringify(first)}`);
  for (const mention of mentions) if (!first.includes(mention)) problems.push(`the line does not mention ${JSON.stringify(mention)}: ${JSON.stringify(first)}`);
  if (STACK_FRAME.test(output.stderr)) problems.push('stderr holds a stack trace');
  return problems;
}
