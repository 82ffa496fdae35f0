import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { AppProcess, exitWithin, freePort, oneLineErrorProblems, REPO_ROOT, waitFor, type ExitResult } from '@wiber/testing';

/**
 * Every bad environment variable stops the gateway before it connects to anything, with exit 78
 * and one line on stderr naming the variable. The endpoints point at closed ports, so the
 * cases need no local stack: a gateway that got past its configuration would connect (and
 * fail) instead of exiting 78.
 */
const UNREACHABLE = {
  KAFKA_BROKERS: '127.0.0.1:1',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1/apis/ccompat/v7',
  MONGO_URI: 'mongodb://127.0.0.1:1',
};

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!';

/** [variable named in the error, the bad environment] */
const BAD_ENVIRONMENT: Array<[string, Record<string, string>]> = [
  ['GATEWAY_PORT', { GATEWAY_PORT: 'abc' }],
  ['GATEWAY_PORT', { GATEWAY_PORT: '70000' }],
  ['GATEWAY_PORT', { GATEWAY_PORT: '-1' }],
  ['GATEWAY_PORT', { GATEWAY_PORT: '' }],
  ['MAX_CONTENT_BYTES', { MAX_CONTENT_BYTES: '0' }],
  ['BODY_LIMIT_BYTES', { BODY_LIMIT_BYTES: '1.5' }],
  ['PRODUCE_TIMEOUT_MS', { PRODUCE_TIMEOUT_MS: 'ten' }],
  ['KEEP_ALIVE_TIMEOUT_MS', { KEEP_ALIVE_TIMEOUT_MS: '-1' }],
  ['READ_TIMEOUT_MS', { READ_TIMEOUT_MS: '-3' }],
  ['PRODUCE_LINGER_MS', { PRODUCE_LINGER_MS: '-1' }],
  ['PRODUCE_LINGER_MS', { PRODUCE_LINGER_MS: '6000', PRODUCE_TIMEOUT_MS: '5000' }],
  ['PRODUCE_MAX_BATCH', { PRODUCE_MAX_BATCH: '0' }],
  ['PRODUCE_MAX_BATCH_BYTES', { PRODUCE_MAX_BATCH_BYTES: '1e6' }],
  ['GATEWAY_TOPIC', { GATEWAY_TOPIC: '' }],
  ['GATEWAY_TOPIC', { GATEWAY_TOPIC: 'wiber messages' }],
  ['AUTH_MODE', { AUTH_MODE: 'oauth' }],
  ['AUTH_MODE', { AUTH_MODE: 'JWT' }],
  ['JWT_SECRET', { AUTH_MODE: 'jwt' }],
  ['JWT_SECRET', { AUTH_MODE: 'jwt', JWT_SECRET: 'short' }],
  ['JWT_JWKS_URL', { AUTH_MODE: 'jwt', JWT_JWKS_URL: 'not a url' }],
  ['JWT_JWKS_URL', { AUTH_MODE: 'jwt', JWT_JWKS_URL: 'file:///etc/jwks.json' }],
  ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
  ['LOG_LEVEL', { LOG_LEVEL: 'INFO' }],
  ['LOG_LEVEL', { LOG_LEVEL: 'info\nerror' }],
  ['KAFKA_BROKERS', { KAFKA_BROKERS: 'nohost' }],
  ['KAFKA_BROKERS', { KAFKA_BROKERS: '' }],
  ['KAFKA_BROKERS', { KAFKA_BROKERS: '127.0.0.1:99999' }],
  ['KAFKA_BROKERS', { KAFKA_BROKERS: '127.0.0.1:9092;127.0.0.1:9093' }],
  ['KAFKA_BROKERS', { KAFKA_BROKERS: '127.0.0.1:9092\n\u001b[31mred' }],
  ['KAFKA_SSL', { KAFKA_SSL: 'maybe' }],
  ['KAFKA_CLIENT_ID', { KAFKA_CLIENT_ID: ' ' }],
  ['KAFKA_CONNECTION_TIMEOUT_MS', { KAFKA_CONNECTION_TIMEOUT_MS: '0' }],
  ['KAFKA_REQUEST_TIMEOUT_MS', { KAFKA_REQUEST_TIMEOUT_MS: 'abc' }],
  ['SCHEMA_REGISTRY_URL', { SCHEMA_REGISTRY_URL: '127.0.0.1:8081' }],
  ['SCHEMA_REGISTRY_URL', { SCHEMA_REGISTRY_URL: 'registry:8081' }],
  ['MONGO_URI', { MONGO_URI: 'http://127.0.0.1:27017' }],
  ['MONGO_URI', { MONGO_URI: '' }],
  ['MONGO_DATABASE', { MONGO_DATABASE: 'wiber.prod' }],
  ['MONGO_DATABASE', { MONGO_DATABASE: '' }],
  ['MONGO_WRITE_CONCERN', { MONGO_WRITE_CONCERN: '0' }],
  ['MONGO_JOURNAL', { MONGO_JOURNAL: 'perhaps' }],
  ['MONGO_SERVER_SELECTION_TIMEOUT_MS', { MONGO_SERVER_SELECTION_TIMEOUT_MS: '-1' }],
];

describe('gateway: bad environment variables', () => {
  it('starts with the base environment (closed ports only), so each case below fails because of its one variable', async () => {
    const app = new AppProcess('apps/gateway', { ...UNREACHABLE, GATEWAY_PORT: String(await freePort()) });
    try {
      await waitFor('the gateway to listen', () => app.logLines().some((line) => String(line['message']).startsWith('gateway listening')), 20_000);
    } finally {
      await app.ensureStopped();
    }
  }, 30_000);

  it.concurrent.each(BAD_ENVIRONMENT.map(([name, env]) => [name, JSON.stringify(env), env] as const))(
    '%s: %s → exit 78, one line naming it',
    async (name, _shown, env) => {
      const result = await exitWithin(new AppProcess('apps/gateway', { ...UNREACHABLE, ...env }), 20_000);
      expect({ code: result.code, signal: result.signal }).toEqual({ code: 78, signal: null });
      expect(oneLineErrorProblems(result, /^gateway: invalid configuration: /, [name])).toEqual([]);
    },
    30_000,
  );
});

/** `node --import tsx apps/gateway/src/mint-token.ts ...args`, with only `env` (plus PATH, HOME). */
function mintToken(args: string[], env: Record<string, string>): Promise<ExitResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'apps', 'gateway', 'src', 'mint-token.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<ExitResult>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return exitWithin({ exited, signal: (signal) => child.kill(signal) }, 20_000);
}

describe('gateway mint-token: bad arguments and environment', () => {
  it('mints a token with good ones (the control case)', async () => {
    const result = await mintToken(['alice', '60'], { JWT_SECRET: SECRET });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  }, 30_000);

  it.concurrent.each([
    [[], { JWT_SECRET: SECRET }, 2, 'usage: '],
    [['alice'], {}, 78, 'JWT_SECRET'],
    [['alice'], { JWT_SECRET: 'short' }, 78, 'JWT_SECRET'],
    [['al ice'], { JWT_SECRET: SECRET }, 2, 'not a valid user id'],
    [['x'.repeat(65)], { JWT_SECRET: SECRET }, 2, 'not a valid user id'],
    [['alice', 'ten'], { JWT_SECRET: SECRET }, 2, 'ttl-seconds'],
    [['alice', '0'], { JWT_SECRET: SECRET }, 2, 'ttl-seconds'],
    [['alice', '-5'], { JWT_SECRET: SECRET }, 2, 'ttl-seconds'],
    [['alice', '1.5'], { JWT_SECRET: SECRET }, 2, 'ttl-seconds'],
    [['alice', '60', 'extra'], { JWT_SECRET: SECRET }, 2, 'unexpected argument "extra"'],
    [['bob\nmallory'], { JWT_SECRET: SECRET }, 2, '"bob\\nmallory" is not a valid user id'],
  ] as Array<[string[], Record<string, string>, number, string]>)('%j with %j → exit %i, one line', async (args, env, code, mentions) => {
    const result = await mintToken(args, env);
    expect(result.code).toBe(code);
    expect(oneLineErrorProblems(result, /^(token: |usage: )/, [mentions])).toEqual([]);
  }, 30_000);
});
