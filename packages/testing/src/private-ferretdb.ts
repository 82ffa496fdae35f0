import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import { freePort, waitFor, WIBER_HOME } from './environment';

/** The FerretDB binary the local stack built (tools/local-stack/src/components/mongo.ts). */
export function ferretdbBinary(): string {
  const cache = join(WIBER_HOME, 'cache');
  const dir = existsSync(cache) ? readdirSync(cache).find((name) => name.startsWith('ferretdb-')) : undefined;
  const binary = dir === undefined ? undefined : join(cache, dir, 'bin', 'ferretdb');
  if (binary === undefined || !existsSync(binary)) {
    throw new Error(`no FerretDB binary under ${cache}/ferretdb-*/bin: run \`npm run stack -- up\` once to build it`);
  }
  return binary;
}

/**
 * This test's own MongoDB-wire server (FerretDB on SQLite) on a free loopback port, with its
 * data in a temporary directory, so it can be killed and restarted without touching the
 * shared local stack's server.
 */
export class PrivateFerretDb {
  private child: ChildProcess | undefined;
  private dataDir = '';
  port = 0;
  private debugPort = 0;

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}`;
  }

  /** Picks the port and data directory without starting the server (so a client can try it first). */
  async allocate(): Promise<void> {
    this.dataDir = await mkdtemp(join(tmpdir(), 'wiber-ferretdb-'));
    await mkdir(join(this.dataDir, 'sqlite'), { recursive: true });
    await mkdir(join(this.dataDir, 'state'), { recursive: true });
    this.port = await freePort();
    this.debugPort = await freePort();
  }

  async start(): Promise<void> {
    if (this.port === 0) await this.allocate();
    const child = spawn(
      ferretdbBinary(),
      [
        `--listen-addr=127.0.0.1:${this.port}`,
        '--handler=sqlite',
        `--sqlite-url=${pathToFileURL(join(this.dataDir, 'sqlite')).href}/`,
        `--state-dir=${join(this.dataDir, 'state')}`,
        '--repl-set-name=rs0',
        `--debug-addr=127.0.0.1:${this.debugPort}`,
        '--telemetry=disable',
        '--log-level=error',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    this.child = child;
    await waitFor(
      `private FerretDB on port ${this.port} to answer ping`,
      async () => {
        if (child.exitCode !== null) throw new Error(`FerretDB exited with ${child.exitCode}: ${stderr.slice(-500)}`);
        const client = new MongoClient(this.uri, { serverSelectionTimeoutMS: 500 });
        try {
          await client.db('admin').command({ ping: 1 });
          return true;
        } finally {
          await client.close();
        }
      },
      20_000,
    );
  }

  /** Kills the server abruptly (SIGKILL), as a crash or a pulled cable would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  async destroy(): Promise<void> {
    await this.kill();
    if (this.dataDir !== '') await rm(this.dataDir, { recursive: true, force: true });
  }
}
