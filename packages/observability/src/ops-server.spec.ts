import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter } from 'prom-client';
import { createMetricsRegistry } from './metrics';
import { startOpsServer } from './ops-server';

describe('startOpsServer', () => {
  let server: Server;
  let base: string;
  let ready = true;

  beforeAll(async () => {
    const registry = createMetricsRegistry({ service: 'test-svc', instance: 'i-1' });
    new Counter({ name: 'wiber_test_events_total', help: 'test', registers: [registry] }).inc(3);
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry,
      readiness: {
        dependency: async () => {
          if (!ready) throw new Error('dependency unreachable');
        },
      },
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('serves prefixed default metrics and app metrics with service and instance labels', async () => {
    const res = await fetch(`${base}/metrics`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('wiber_test_events_total{service="test-svc",instance="i-1"} 3');
    expect(text).toMatch(/wiber_process_cpu_user_seconds_total/);
  });

  it('answers liveness always and readiness by its checks', async () => {
    expect((await fetch(`${base}/health/liveness`)).status).toBe(200);
    expect((await fetch(`${base}/health/readiness`)).status).toBe(200);
    ready = false;
    const res = await fetch(`${base}/health/readiness`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'down', checks: { dependency: { detail: 'dependency unreachable' } } });
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
