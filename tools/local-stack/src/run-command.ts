import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** Finds an executable on PATH (like `which`). */
export async function findExecutable(command: string): Promise<string | undefined> {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      await access(candidate, 1);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export interface CommandResult {
  /** exit code; null when killed by a signal */
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout then stderr */
  output: string;
}

export interface CommandOptions {
  cwd?: string;
  env?: Record<string, string>;
}

/** Runs a command to completion and reports its exit code and output; never rejects on a non-zero exit. */
export function execute(command: string, args: string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({ code, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
}

/** Runs a command to completion; rejects with the tail of its output when it fails. */
export async function runCommand(command: string, args: string[], options: CommandOptions = {}): Promise<string> {
  const result = await execute(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${String(result.code)}):\n${lastLines(result.output, 15)}`);
  }
  return result.stdout;
}

export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
