import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../src/paths';

export interface SourceFile {
  path: string;
  text: string;
}

function walk(dir: string, files: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, files);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
}

/** Production TypeScript (no tests) under `<root>/<project>/src` for the given roots. */
export function productionSources(roots: readonly string[] = ['apps', 'packages']): SourceFile[] {
  const files: string[] = [];
  for (const root of roots) {
    const base = join(REPO_ROOT, root);
    if (!existsSync(base)) continue;
    for (const project of readdirSync(base)) {
      const src = join(base, project, 'src');
      if (existsSync(src)) walk(src, files);
    }
  }
  return files.map((path) => ({ path: relative(REPO_ROOT, path), text: readFileSync(path, 'utf8') }));
}

/** Production sources of one app plus every package (what its bundle is built from). */
export function sourcesOfApp(app: string): SourceFile[] {
  return productionSources(['packages']).concat(productionSources(['apps']).filter((file) => file.path.startsWith(`apps/${app}/`)));
}

export function quoted(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`['"\`]${escaped}['"\`]`);
}
