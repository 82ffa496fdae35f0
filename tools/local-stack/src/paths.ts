import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { StackPaths } from './component';

/** The repository root (tools/local-stack/src -> ../../..). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Everything the stack writes lives under .wiber/ (git-ignored); WIBER_HOME moves it. */
export function stackPaths(root = process.env['WIBER_HOME'] ?? join(REPO_ROOT, '.wiber')): StackPaths {
  return {
    root,
    cache: join(root, 'cache'),
    data: join(root, 'data'),
    logs: join(root, 'logs'),
    run: join(root, 'run'),
  };
}

export async function createDirs(paths: StackPaths): Promise<void> {
  await Promise.all([paths.cache, paths.data, paths.logs, paths.run].map((dir) => mkdir(dir, { recursive: true })));
}

export function logFile(paths: StackPaths, processName: string): string {
  return join(paths.logs, `${processName}.log`);
}

export function pidFile(paths: StackPaths, processName: string): string {
  return join(paths.run, `${processName}.pid`);
}
