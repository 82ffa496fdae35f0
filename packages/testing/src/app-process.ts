import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './environment';

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A real app (`<appDir>/src/main.ts` run by tsx) as a child process with the given environment. */
export class AppProcess {
  private readonly child: ChildProcess;
  private stdoutText = '';
  private stderrText = '';
  readonly exited: Promise<ExitResult>;

  constructor(appDir: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', join(appDir, 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.stdoutText += chunk.toString();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrText += chunk.toString();
    });
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => resolve({ code, signal, stdout: this.stdoutText, stderr: this.stderrText }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Log lines (JSON) the app wrote so far. */
  logLines(): Array<Record<string, unknown>> {
    return this.stdoutText
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * For cleanup: resumes a frozen process and stops it with SIGTERM (so it leaves its consumer
   * group), or SIGKILL when that takes longer than `graceMs`.
   */
  async ensureStopped(graceMs = 5_000): Promise<void> {
    if (this.isRunning()) {
      this.child.kill('SIGCONT');
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    await this.exited;
  }
}
