import { existsSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import type { Component, ProcessSpec, StackPaths } from '../component';
import { execute, lastLines } from '../run-command';

/**
 * FerretDB 1.x with its SQLite backend: a real MongoDB-wire-protocol server (it reports
 * MongoDB 7.0, maxWireVersion 21) built from the Go module proxy. 1.24.0 because the proxy
 * refuses 1.24.1; 2.x needs PostgreSQL with Microsoft's DocumentDB extension, which no
 * registry here provides. See tools/local-stack/README.md for what it does not do.
 */
export const FERRETDB_VERSION = '1.24.0';
export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const MONGO_HOST = '127.0.0.1';
export const MONGO_PORT = 27017;
export const MONGO_URI = `mongodb://${MONGO_HOST}:${MONGO_PORT}`;
/** FerretDB answers `hello` as a one-member replica set, so `?replicaSet=rs0` URIs (as in compose) also work. */
export const MONGO_REPLICA_SET = 'rs0';
/** FerretDB's own HTTP endpoints: /debug/metrics (Prometheus format), /debug/livez, /debug/readyz. */
export const FERRETDB_DEBUG_PORT = 8088;
export const FERRETDB_METRICS_URL = `http://${MONGO_HOST}:${FERRETDB_DEBUG_PORT}/debug/metrics`;

const COMPONENT_NAME = 'mongo';
const PROCESS_NAME = 'mongo';
const DATABASE = 'wiber';
const MESSAGES_COLLECTION = 'messages';
const COMPLETE_MARKER = '.wiber-complete';
const POLL_INTERVAL_MS = 250;
const PING_TIMEOUT_MS = 1_000;
const GO_ENV = {
  // Without these, a go.work or a GOFLAGS of the user's could change what is built, and the
  // repository's own git metadata would be stamped into the binary as FerretDB's commit.
  GOWORK: 'off',
  GOFLAGS: '-buildvcs=false',
  CGO_ENABLED: '0',
};

interface ModuleDownload {
  dir: string;
  commit: string | undefined;
}

export function ferretdbDir(paths: StackPaths): string {
  return join(paths.cache, `ferretdb-${FERRETDB_VERSION}`);
}

export function ferretdbBinary(paths: StackPaths): string {
  return join(ferretdbDir(paths), 'bin', 'ferretdb');
}

export function mongoDataDir(paths: StackPaths): string {
  return join(paths.data, COMPONENT_NAME);
}

/** One `<database>.sqlite` file per database. */
export function sqliteDir(paths: StackPaths): string {
  return join(mongoDataDir(paths), 'sqlite');
}

/** FerretDB's state.json (instance id, telemetry decision). */
function stateDir(paths: StackPaths): string {
  return join(mongoDataDir(paths), 'state');
}

/** FerretDB wants a `file:` URI naming a directory, with the trailing slash. */
function sqliteUrl(paths: StackPaths): string {
  return `${pathToFileURL(sqliteDir(paths)).href}/`;
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

function objectField(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * `go install …@v1.24.0` cannot be used: it asks the proxy for the module's version list
 * (refused here), and the published module lacks the generated build/version/version.txt,
 * without which the binary panics at start. So: download the module, copy it, add that file.
 */
async function downloadModule(cwd: string): Promise<ModuleDownload> {
  const result = await execute('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@v${FERRETDB_VERSION}`], {
    cwd,
    env: GO_ENV,
  });
  const parsed: unknown = result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout);
  const dir = stringField(parsed, 'Dir');
  if (result.code !== 0 || dir === undefined) {
    const reason = stringField(parsed, 'Error') ?? lastLines(result.stderr, 10);
    throw new Error(`mongo: go mod download ${FERRETDB_MODULE}@v${FERRETDB_VERSION} failed: ${reason}`);
  }
  return { dir, commit: stringField(objectField(parsed, 'Origin'), 'Hash') };
}

async function writeVersionFiles(srcDir: string, commit: string | undefined): Promise<void> {
  const versionDir = join(srcDir, 'build', 'version');
  await writeFile(join(versionDir, 'version.txt'), `v${FERRETDB_VERSION}\n`);
  await writeFile(join(versionDir, 'package.txt'), 'wiber-local-stack\n');
  if (commit !== undefined) {
    await writeFile(join(versionDir, 'commit.txt'), `${commit}\n`);
  }
}

/** Module-cache files are read-only; make a copy (or a leftover) deletable and editable. */
async function makeWritable(dir: string): Promise<void> {
  if (existsSync(dir)) {
    await execute('chmod', ['-R', 'u+w', dir]);
  }
}

async function buildBinary(paths: StackPaths, srcDir: string): Promise<void> {
  const binary = ferretdbBinary(paths);
  const result = await execute('go', ['build', '-trimpath', '-o', binary, './cmd/ferretdb'], {
    cwd: srcDir,
    env: GO_ENV,
  });
  if (result.code !== 0 || !existsSync(binary)) {
    throw new Error(
      `mongo: go build of FerretDB ${FERRETDB_VERSION} failed (exit ${String(result.code)}):\n${lastLines(result.stderr, 15)}`,
    );
  }
  const version = await execute(binary, ['--version']);
  if (!version.stdout.includes(`version: v${FERRETDB_VERSION}`)) {
    throw new Error(`mongo: built ${binary} but --version says:\n${lastLines(version.stdout + version.stderr, 10)}`);
  }
}

async function install(paths: StackPaths, log: (line: string) => void): Promise<void> {
  const dir = ferretdbDir(paths);
  if (existsSync(join(dir, COMPLETE_MARKER)) && existsSync(ferretdbBinary(paths))) {
    return;
  }
  await makeWritable(dir);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  log(`mongo: fetching ${FERRETDB_MODULE}@v${FERRETDB_VERSION} and its dependencies from the Go module proxy`);
  const download = await downloadModule(dir);
  const srcDir = join(dir, 'src');
  await cp(download.dir, srcDir, { recursive: true });
  await makeWritable(srcDir);
  await writeVersionFiles(srcDir, download.commit);
  log(`mongo: building FerretDB ${FERRETDB_VERSION} (a few minutes on 2 cores; cached afterwards)`);
  await buildBinary(paths, srcDir);
  await rm(srcDir, { recursive: true, force: true });
  await writeFile(join(dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  log(`mongo: FerretDB ${FERRETDB_VERSION} ready at ${ferretdbBinary(paths)}`);
}

async function prepare(paths: StackPaths): Promise<void> {
  await mkdir(sqliteDir(paths), { recursive: true });
  await mkdir(stateDir(paths), { recursive: true });
}

function processes(paths: StackPaths): ProcessSpec[] {
  return [
    {
      name: PROCESS_NAME,
      command: ferretdbBinary(paths),
      args: [
        `--listen-addr=${MONGO_HOST}:${MONGO_PORT}`,
        '--handler=sqlite',
        `--sqlite-url=${sqliteUrl(paths)}`,
        `--state-dir=${stateDir(paths)}`,
        `--repl-set-name=${MONGO_REPLICA_SET}`,
        `--debug-addr=${MONGO_HOST}:${FERRETDB_DEBUG_PORT}`,
        '--telemetry=disable',
        '--log-level=info',
      ],
      cwd: mongoDataDir(paths),
      ports: [MONGO_PORT, FERRETDB_DEBUG_PORT],
    },
  ];
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? error.cause.message : '';
    return cause === '' ? error.message : `${error.message}: ${cause}`;
  }
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withClient<T>(use: (client: MongoClient) => Promise<T>, timeoutMs = PING_TIMEOUT_MS): Promise<T> {
  const client = new MongoClient(MONGO_URI, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    appName: 'wiber-local-stack',
  });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

async function ping(timeoutMs: number): Promise<void> {
  await withClient(async (client) => {
    await client.db('admin').command({ ping: 1 });
  }, timeoutMs);
}

async function waitHealthy(_paths: StackPaths, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      await ping(Math.max(1, Math.min(PING_TIMEOUT_MS, deadline - Date.now())));
      return;
    } catch (error) {
      last = describeError(error);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`mongo: ${MONGO_URI} did not answer ping within ${Math.round(timeoutMs / 1000)}s (last: ${last})`);
}

async function describe(paths: StackPaths): Promise<string[]> {
  try {
    const [version, count] = await withClient(async (client) => {
      const info = await client.db('admin').command({ buildInfo: 1 });
      const documents = await client.db(DATABASE).collection(MESSAGES_COLLECTION).estimatedDocumentCount();
      return [stringField(info, 'ferretdbVersion') ?? 'unknown version', documents] as const;
    });
    return [
      `mongo ${MONGO_URI} (FerretDB ${version}, sqlite) ${count} documents in ${DATABASE}.${MESSAGES_COLLECTION}`,
      `  data ${sqliteDir(paths)}, metrics ${FERRETDB_METRICS_URL}`,
    ];
  } catch (error) {
    return [`mongo ${MONGO_URI} not answering: ${describeError(error)}`];
  }
}

export const mongoComponent: Component = {
  name: COMPONENT_NAME,
  requirements: [
    {
      command: 'go',
      hint: 'install Go 1.22 or newer and put `go` on PATH; it builds FerretDB from the Go module proxy',
    },
  ],
  install,
  prepare: (paths) => prepare(paths),
  processes,
  waitHealthy,
  describe,
};
