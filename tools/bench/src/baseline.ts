import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@wiber/testing';

/** The directory an app's code at `ref` is exported to (its node_modules linked to the repo's). */
export function baselineDir(ref: string, app: string): string {
  return join(tmpdir(), `wiber-bench-${ref.replace(/[^A-Za-z0-9._-]/g, '_')}`, app);
}

/**
 * Exports `app` (e.g. apps/gateway) as committed at `ref` (e.g. HEAD) next to links to the
 * repo's node_modules, so it runs with the same dependencies and workspace packages as the
 * working tree: "before" and "after" of a change to the app, side by side in one bench run.
 * Returns the app's directory, for AppProcess. Only the app's own files are taken from `ref`.
 */
export function exportAppAt(ref: string, app: string): string {
  const dir = baselineDir(ref, app);
  const root = dir.slice(0, dir.length - app.length - 1);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', ref, app], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', root], { input: archive });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  const appModules = join(REPO_ROOT, app, 'node_modules');
  if (existsSync(appModules)) symlinkSync(appModules, join(dir, 'node_modules'));
  for (const file of ['tsconfig.base.json', 'package.json']) {
    if (existsSync(join(REPO_ROOT, file))) symlinkSync(join(REPO_ROOT, file), join(root, file));
  }
  return dir;
}

/** The commit `ref` names, short, for the report. */
export function commitOf(ref: string): string {
  return execFileSync('git', ['rev-parse', '--short', ref], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
}
