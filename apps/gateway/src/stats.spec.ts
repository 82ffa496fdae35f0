import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { MetricsSnapshot } from '@wiber/schema';
import { sendProblem, HttpProblem } from './problem';
import { statsHandler, type SnapshotSource } from './stats';

const snapshot: MetricsSnapshot = {
  leaderId: 'lm-2',
  epoch: 4,
  generatedAt: Date.now() - 3000,
  windowSeconds: 60,
  messagesPerMinute: 12,
  messagesPerMinuteByPartition: [{ partition: 0, perMinute: 12 }],
  activeConversations: 2,
  activeUsers: 3,
  consumerLag: [],
  dlqDepth: 0,
};

describe('GET /stats', () => {
  let latest: MetricsSnapshot | undefined;
  let server: Server;
  let base: string;
  const source: SnapshotSource = { latest: () => latest, latestReceivedAt: () => (latest ? latest.generatedAt + 10 : undefined) };

  beforeAll(async () => {
    const app = express();
    app.get('/stats', statsHandler(source));
    app.use((error: HttpProblem, req: express.Request, res: express.Response, _next: express.NextFunction) => sendProblem(res, error, req.originalUrl));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers 503 with Retry-After before any snapshot arrived', async () => {
    latest = undefined;
    const res = await fetch(`${base}/stats`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('15');
    expect(((await res.json()) as { detail: string }).detail).toMatch(/no metrics snapshot/);
  });

  it('serves the latest snapshot with its age', async () => {
    latest = snapshot;
    const body = (await (await fetch(`${base}/stats`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ...snapshot, receivedAt: snapshot.generatedAt + 10 });
    expect(body['ageSeconds']).toBeGreaterThanOrEqual(3);
  });
});
