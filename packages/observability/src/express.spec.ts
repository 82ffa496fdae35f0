import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { currentCorrelationId } from './correlation';
import { correlationIdMiddleware, requestMetricsMiddleware } from './express';
import { createMetricsRegistry } from './metrics';

describe('express middleware', () => {
  const registry = createMetricsRegistry({ service: 'gw', instance: 'gw-1' });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.use(correlationIdMiddleware());
    app.use(requestMetricsMiddleware(registry));
    app.get('/messages/:a/:b', (_req, res) => {
      res.json({ correlationId: currentCorrelationId() });
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('uses the caller X-Request-Id as correlation id and echoes it', async () => {
    const res = await fetch(`${base}/messages/alice/bob`, { headers: { 'x-request-id': 'trace-1' } });
    expect(res.headers.get('x-request-id')).toBe('trace-1');
    expect(await res.json()).toEqual({ correlationId: 'trace-1' });
  });

  it('generates an id when none is given', async () => {
    const res = await fetch(`${base}/messages/alice/bob`);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts requests by route template, not raw path', async () => {
    await fetch(`${base}/messages/carol/dave`);
    await fetch(`${base}/unknown`);
    const text = await registry.metrics();
    expect(text).toMatch(/wiber_http_requests_total\{method="GET",route="\/messages\/:a\/:b",status="200",service="gw",instance="gw-1"\} [3-9]/);
    expect(text).toContain('route="unmatched",status="404"');
    expect(text).not.toContain('carol');
  });
});
