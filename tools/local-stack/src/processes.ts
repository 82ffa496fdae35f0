import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import type { ProcessSpec, StackPaths } from './component';
import { logFile, pidFile } from './paths';

interface PidRecord {
  pid: number;
  command: string;
  startedAt: string;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is the process recorded in its pid file still the one we started (not a recycled pid)? */
export async function runningPid(paths: StackPaths, name: string): Promise<number | undefined> {
  let record: PidRecord;
  try {
    record = JSON.parse(await readFile(pidFile(paths, name), 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
  if (!isAlive(record.pid)) return undefined;
  try {
    const cmdline = (await readFile(`/proc/${record.pid}/cmdline`, 'utf8')).split('\0')[0] ?? '';
    return cmdline.endsWith(record.command.split('/').pop() ?? record.command) ? record.pid : undefined;
  } catch {
    return record.pid;
  }
}

export function isPortInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts a detached process (its own process group) writing stdout and stderr to its log file. */
export async function startProcess(paths: StackPaths, spec: ProcessSpec): Promise<number> {
  const out = openSync(logFile(paths, spec.name), 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', out, out],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', (error) => reject(new Error(`${spec.name}: cannot run ${spec.command}: ${error.message}`)));
      child.once('spawn', () => resolve(child.pid ?? -1));
    });
    child.unref();
    const record: PidRecord = { pid, command: spec.command, startedAt: new Date().toISOString() };
    await writeFile(pidFile(paths, spec.name), JSON.stringify(record));
    return pid;
  } finally {
    closeSync(out);
  }
}

/** SIGTERM to the process group, then SIGKILL after `graceMs`. Removes the pid file. */
export async function stopProcess(paths: StackPaths, name: string, graceMs = 20000): Promise<boolean> {
  const pid = await runningPid(paths, name);
  if (pid !== undefined) {
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(200);
    if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(100);
  }
  await rm(pidFile(paths, name), { force: true });
  return pid !== undefined;
}

/** Sends a signal to a running stack process (fault-injection tests: SIGKILL, SIGSTOP, SIGCONT). */
export async function signalProcess(paths: StackPaths, name: string, signal: NodeJS.Signals): Promise<void> {
  const pid = await runningPid(paths, name);
  if (pid === undefined) throw new Error(`${name} is not running`);
  signalGroup(pid, signal);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
