import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute path of an executable on PATH (or in /usr/bin), or undefined. */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin'];
  return dirs.map((dir) => join(dir, name)).find((candidate) => existsSync(candidate));
}

export interface ToolResult {
  status: number | null;
  output: string;
}

export function runTool(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ToolResult {
  const result = spawnSync(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

/**
 * `it` when the tool exists; when it does not, a failing test naming the package to install
 * (`npm test` and .ci/run install them; a skipped check would hide a broken file).
 */
export function itWithTool(tool: string, install: string): (name: string, fn: (path: string) => void) => void {
  const path = findTool(tool);
  return (name, fn) => {
    if (path !== undefined) {
      it(name, () => fn(path));
    } else {
      it(name, () => {
        throw new Error(`${tool} is not installed: ${install}`);
      });
    }
  };
}
