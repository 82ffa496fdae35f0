import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@wiber/testing';

/** The bundle `nx build dlq-replayer` writes (the test target depends on the build). */
export const BUNDLE = join(REPO_ROOT, 'dist', 'apps', 'dlq-replayer', 'main.cjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `node dist/apps/dlq-replayer/main.cjs ...args`, stdin not a terminal, with only `env` (plus PATH, HOME). */
export class CliProcess {
  private readonly child: ChildProcess;
  private out = '';
  private errText = '';
  readonly exited: Promise<CliResult>;

  constructor(args: readonly string[], env: Record<string, string>) {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npx nx build dlq-replayer\` first`);
    this.child = spawn(process.execPath, [BUNDLE, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.out += chunk.toString();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.errText += chunk.toString();
    });
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => resolve({ code, signal, stdout: this.out, stderr: this.errText }));
    });
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.errText;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async ensureStopped(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Runs the CLI to its end (killed after `timeoutMs`, which fails the caller's expectations). */
export async function runCli(args: readonly string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  const cli = new CliProcess(args, env);
  const timer = setTimeout(() => cli.signal('SIGKILL'), timeoutMs);
  try {
    return await cli.exited;
  } finally {
    clearTimeout(timer);
  }
}
