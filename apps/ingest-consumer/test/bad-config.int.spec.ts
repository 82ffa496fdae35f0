import { createServer, type Server } from 'node:net';
import { AppProcess, exitWithin, freePort, oneLineErrorProblems, waitFor } from '@wiber/testing';

/**
 * Every bad environment variable stops the ingest-consumer before it connects to anything, with
 * exit 78 and one line on stderr naming the variable. The endpoints point at closed ports, so the
 * cases need no local stack: a consumer that got past its configuration would start its ops
 * server and try to connect instead of exiting 78.
 */
const APP_DIR = 'apps/ingest-consumer';
const UNREACHABLE = {
  KAFKA_BROKERS: '127.0.0.1:1',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1/apis/ccompat/v7',
  MONGO_URI: 'mongodb://127.0.0.1:1',
  INGEST_TOPIC: 'test.ingest.bad-config',
  INGEST_DLQ_TOPIC: 'test.ingest.bad-config.dlq',
};

/** [variables named in the error, the bad environment] */
const BAD_ENVIRONMENT: Array<[string[], Record<string, string>]> = [
  [['INGEST_BATCH_SIZE'], { INGEST_BATCH_SIZE: '-5' }],
  [['INGEST_BATCH_SIZE'], { INGEST_BATCH_SIZE: '0' }],
  [['INGEST_METRICS_PORT'], { INGEST_METRICS_PORT: '99999' }],
  [['INGEST_METRICS_PORT'], { INGEST_METRICS_PORT: 'metrics' }],
  [['INGEST_FETCH_MAX_WAIT_MS'], { INGEST_FETCH_MAX_WAIT_MS: 'abc' }],
  [['INGEST_FETCH_MIN_BYTES'], { INGEST_FETCH_MIN_BYTES: '0' }],
  [['INGEST_FETCH_MAX_BYTES_PER_PARTITION'], { INGEST_FETCH_MAX_BYTES_PER_PARTITION: '1MB' }],
  [['INGEST_PARTITIONS_CONCURRENCY'], { INGEST_PARTITIONS_CONCURRENCY: '1.5' }],
  [['INGEST_SESSION_TIMEOUT_MS'], { INGEST_SESSION_TIMEOUT_MS: '' }],
  [['INGEST_RETRY_MAX_MS'], { INGEST_RETRY_INITIAL_MS: '500', INGEST_RETRY_MAX_MS: '100' }],
  [['INGEST_RECORD_RETRIES'], { INGEST_RECORD_RETRIES: '-1' }],
  [['INGEST_RECORD_RETRY_MAX_MS'], { INGEST_RECORD_RETRY_INITIAL_MS: '500', INGEST_RECORD_RETRY_MAX_MS: '100' }],
  [['INGEST_CIRCUIT_OPEN_AFTER'], { INGEST_CIRCUIT_OPEN_AFTER: '0' }],
  [['INGEST_WRITE_TIMEOUT_MS'], { INGEST_WRITE_TIMEOUT_MS: '5s' }],
  [['INGEST_SHUTDOWN_TIMEOUT_MS'], { INGEST_SHUTDOWN_TIMEOUT_MS: '-9000' }],
  [['INGEST_TOPIC'], { INGEST_TOPIC: '' }],
  [['INGEST_TOPIC'], { INGEST_TOPIC: 'wiber/messages' }],
  [['INGEST_DLQ_TOPIC'], { INGEST_DLQ_TOPIC: 'test.ingest.bad-config' }],
  [['INGEST_GROUP_ID'], { INGEST_GROUP_ID: '' }],
  [['INGEST_INSTANCE_ID'], { INGEST_INSTANCE_ID: '  ' }],
  [['LOG_LEVEL'], { LOG_LEVEL: 'trace' }],
  [['LOG_LEVEL'], { LOG_LEVEL: 'warn\n' }],
  [['KAFKA_BROKERS'], { KAFKA_BROKERS: 'localhost' }],
  [['KAFKA_BROKERS'], { KAFKA_BROKERS: 'kafka-1:9092 kafka-2:9092' }],
  [['KAFKA_SSL'], { KAFKA_SSL: 'yes please' }],
  [['SCHEMA_REGISTRY_URL'], { SCHEMA_REGISTRY_URL: 'not a url' }],
  [['MONGO_URI'], { MONGO_URI: 'mongodb://' }],
  [['MONGO_DATABASE'], { MONGO_DATABASE: 'has space' }],
  [['MONGO_WRITE_CONCERN'], { MONGO_WRITE_CONCERN: 'most' }],
  // several at once: all named, still one line
  [['INGEST_BATCH_SIZE', 'KAFKA_BROKERS', 'MONGO_URI'], { INGEST_BATCH_SIZE: 'x', KAFKA_BROKERS: 'x', MONGO_URI: 'x' }],
];

describe('ingest-consumer: bad environment variables', () => {
  it('starts with the base environment (closed ports only), so each case below fails because of its one variable', async () => {
    const app = new AppProcess(APP_DIR, { ...UNREACHABLE, INGEST_METRICS_PORT: String(await freePort()) });
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
      expect(oneLineErrorProblems(result, /^ingest-consumer: invalid configuration: /, names)).toEqual([]);
    },
    30_000,
  );

  it('a metrics port already in use → exit 1, one line naming the port, no stack trace', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = await exitWithin(new AppProcess(APP_DIR, { ...UNREACHABLE, INGEST_METRICS_PORT: String(port), LOG_LEVEL: 'error' }), 20_000);
      expect(result.code).toBe(1);
      expect(oneLineErrorProblems(result, /^ingest-consumer: failed to start: /, [`${port}`, 'EADDRINUSE'])).toEqual([]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 30_000);
});
