import { createServer, type Server } from 'node:net';
import { AppProcess, exitWithin, freePort, oneLineErrorProblems, waitFor } from '@wiber/testing';

/**
 * Every bad environment variable stops leader-metrics before it connects to anything, with
 * exit 78 and one line on stderr naming the variable. The endpoints point at closed ports, so the
 * cases need no local stack: an instance that got past its configuration would start its ops
 * server and try to connect instead of exiting 78.
 */
const APP_DIR = 'apps/leader-metrics';
const UNREACHABLE = {
  KAFKA_BROKERS: '127.0.0.1:1',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1/apis/ccompat/v7',
  MONGO_URI: 'mongodb://127.0.0.1:1',
};

/** [variables named in the error, the bad environment] */
const BAD_ENVIRONMENT: Array<[string[], Record<string, string>]> = [
  [['LEADER_METRICS_PORT'], { LEADER_METRICS_PORT: 'abc' }],
  [['LEADER_METRICS_PORT'], { LEADER_METRICS_PORT: '65536' }],
  [['LEADER_INTERVAL_SECONDS'], { LEADER_INTERVAL_SECONDS: '0' }],
  [['LEADER_INTERVAL_SECONDS'], { LEADER_INTERVAL_SECONDS: '15s' }],
  [['LEADER_RATE_WINDOW_SECONDS'], { LEADER_RATE_WINDOW_SECONDS: '-60' }],
  [['LEADER_ACTIVITY_WINDOW_SECONDS'], { LEADER_ACTIVITY_WINDOW_SECONDS: '' }],
  [['LEADER_COLLECT_TIMEOUT_MS'], { LEADER_COLLECT_TIMEOUT_MS: '1.5' }],
  [['LEADER_SESSION_TIMEOUT_MS'], { LEADER_SESSION_TIMEOUT_MS: '-1' }],
  [['LEADER_HEARTBEAT_INTERVAL_MS'], { LEADER_SESSION_TIMEOUT_MS: '10000', LEADER_HEARTBEAT_INTERVAL_MS: '5000' }],
  [['LEADER_SHUTDOWN_TIMEOUT_MS'], { LEADER_SHUTDOWN_TIMEOUT_MS: 'never' }],
  [['LEADER_GROUP_ID'], { LEADER_GROUP_ID: '' }],
  [['LEADER_INSTANCE_ID'], { LEADER_INSTANCE_ID: ' ' }],
  [['LEADER_ELECTION_TOPIC'], { LEADER_ELECTION_TOPIC: '' }],
  [['LEADER_METRICS_TOPIC'], { LEADER_METRICS_TOPIC: 'wiber metrics' }],
  [['LEADER_MESSAGES_TOPIC'], { LEADER_MESSAGES_TOPIC: '..' }],
  [['LEADER_DLQ_TOPIC'], { LEADER_DLQ_TOPIC: 'x'.repeat(250) }],
  [['LEADER_INGEST_GROUP_ID'], { LEADER_INGEST_GROUP_ID: '' }],
  [['LEADER_REPLAYER_GROUP_ID'], { LEADER_REPLAYER_GROUP_ID: '' }],
  [['LOG_LEVEL'], { LOG_LEVEL: 'inf' }],
  [['LOG_LEVEL'], { LOG_LEVEL: 'debug\r\ninjected' }],
  [['KAFKA_BROKERS'], { KAFKA_BROKERS: ':9092' }],
  [['KAFKA_BROKERS'], { KAFKA_BROKERS: ',' }],
  [['KAFKA_REQUEST_TIMEOUT_MS'], { KAFKA_REQUEST_TIMEOUT_MS: '0' }],
  [['SCHEMA_REGISTRY_URL'], { SCHEMA_REGISTRY_URL: '' }],
  [['MONGO_URI'], { MONGO_URI: 'postgres://127.0.0.1' }],
  [['MONGO_DATABASE'], { MONGO_DATABASE: 'a$b' }],
  [['MONGO_JOURNAL'], { MONGO_JOURNAL: '2' }],
  // several at once: all named, still one line
  [['LEADER_METRICS_PORT', 'KAFKA_BROKERS', 'MONGO_DATABASE'], { LEADER_METRICS_PORT: 'x', KAFKA_BROKERS: 'x', MONGO_DATABASE: 'x.y' }],
];

describe('leader-metrics: bad environment variables', () => {
  it('starts with the base environment (closed ports only), so each case below fails because of its one variable', async () => {
    const app = new AppProcess(APP_DIR, { ...UNREACHABLE, LEADER_METRICS_PORT: String(await freePort()) });
    try {
      await waitFor('the ops server to listen', () => app.logLines().some((line) => line['message'] === 'metrics and health endpoints listening'), 20_000);
    } finally {
      await app.ensureStopped();
    }
  }, 30_000);

  it.concurrent.each(BAD_ENVIRONMENT.map(([names, env]) => [names.join(', '), JSON.stringify(env), names, env] as const))(
    '%s: %s → exit 78, one line naming it',
    async (_named, _shown, names, env) => {
      const result = await exitWithin(new AppProcess(APP_DIR, { ...UNREACHABLE, ...env }), 20_000);
      expect({ code: result.code, signal: result.signal }).toEqual({ code: 78, signal: null });
      expect(oneLineErrorProblems(result, /^leader-metrics: invalid configuration: /, names)).toEqual([]);
    },
    30_000,
  );

  it('a metrics port already in use → exit 1, one line naming the port, no stack trace', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = await exitWithin(new AppProcess(APP_DIR, { ...UNREACHABLE, LEADER_METRICS_PORT: String(port), LOG_LEVEL: 'error' }), 20_000);
      expect(result.code).toBe(1);
      expect(oneLineErrorProblems(result, /^leader-metrics: failed to start: /, [`${port}`, 'EADDRINUSE'])).toEqual([]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 30_000);
});
