import { AppProcess, freePort, PrivateFerretDb, waitFor } from '@wiber/testing';
import { postMessage, startTestGateway } from './support/gateway-fixture';

const message = { fromUser: 'alice', toUser: 'bob', content: 'hello?' };

/** A dependency that is down is a 503 with Retry-After within a bounded time, never a hang or a crash. */
describe('gateway with a dependency down', () => {
  it('Kafka unreachable: POST answers 503 with Retry-After quickly, readiness is 503', async () => {
    const gateway = await startTestGateway({ KAFKA_BROKERS: `127.0.0.1:${await freePort()}`, PRODUCE_TIMEOUT_MS: '2000' });
    try {
      const started = Date.now();
      const res = await postMessage(gateway.url, message);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.json['detail']).toMatch(/Kafka|registry/);
      expect(Date.now() - started).toBeLessThan(3000);
      const readiness = await fetch(`${gateway.url}/health/readiness`);
      expect(readiness.status).toBe(503);
      expect(await readiness.json()).toMatchObject({ status: 'down', checks: { kafka: { status: 'down' } } });
    } finally {
      await gateway.stop();
    }
  });

  it('Schema Registry unreachable: POST answers 503', async () => {
    const gateway = await startTestGateway({ SCHEMA_REGISTRY_URL: `http://127.0.0.1:${await freePort()}/apis/ccompat/v7` });
    try {
      const res = await postMessage(gateway.url, message);
      expect(res.status).toBe(503);
      expect(res.json['detail']).toMatch(/registry/);
      expect(res.headers.get('retry-after')).not.toBeNull();
    } finally {
      await gateway.stop();
    }
  });

  it('Mongo down: reads answer 503 within the read timeout, and recover by themselves when it returns', async () => {
    const mongo = new PrivateFerretDb();
    await mongo.allocate();
    const gateway = await startTestGateway({ MONGO_URI: mongo.uri, READ_TIMEOUT_MS: '1500' });
    try {
      const started = Date.now();
      const down = await fetch(`${gateway.url}/messages/alice/bob`);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(Date.now() - started).toBeLessThan(2500);
      expect((await fetch(`${gateway.url}/messages/count`)).status).toBe(503);

      await mongo.start();
      const up = await waitFor('reads to succeed once Mongo is back', async () => {
        const res = await fetch(`${gateway.url}/messages/alice/bob`);
        return res.status === 200 ? res : undefined;
      }, 30_000);
      expect(await up.json()).toMatchObject({ conversationId: 'alice:bob', messages: [] });
    } finally {
      await gateway.stop();
      await mongo.destroy();
    }
  });
});

describe('gateway process', () => {
  it('SIGTERM: finishes, flushes and exits 0 within 10 s', async () => {
    const port = await freePort();
    const app = new AppProcess('apps/gateway', { GATEWAY_PORT: String(port), LOG_LEVEL: 'info', INSTANCE_ID: 'gw-sigterm' });
    try {
      await waitFor('the gateway to accept a message', async () => {
        const res = await postMessage(`http://127.0.0.1:${port}`, { fromUser: 'sig', toUser: 'term', content: 'before stop' }).catch(() => undefined);
        return res?.status === 202;
      }, 60_000);
      const started = Date.now();
      app.signal('SIGTERM');
      const result = await app.exited;
      expect(result.code).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      const lines = app.logLines();
      expect(lines.some((l) => l['level'] === 'warn' && String(l['message']).includes('AUTH_MODE=none'))).toBe(true);
      expect(lines.every((l) => l['service'] === 'gateway' && l['instance'] === 'gw-sigterm')).toBe(true);
      expect(lines.some((l) => l['message'] === 'stopped')).toBe(true);
    } finally {
      await app.ensureStopped();
    }
  }, 90_000);

  it('invalid configuration stops it at start with one line naming the variable', async () => {
    const app = new AppProcess('apps/gateway', { GATEWAY_PORT: 'eighty', MAX_CONTENT_BYTES: '-1' });
    const result = await app.exited;
    expect(result.code).toBe(78);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gateway: invalid configuration: .*GATEWAY_PORT.*MAX_CONTENT_BYTES/);
  }, 30_000);
});
