import { AppProcess, freePort, waitFor } from '@wiber/testing';
import { startTestGateway } from './support/gateway-fixture';

/** GET /stats: leader-metrics -> wiber.metrics (Avro) -> the gateway's snapshot reader. */
describe('gateway GET /stats', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let leader: AppProcess;

  beforeAll(async () => {
    gateway = await startTestGateway({});
    leader = new AppProcess('apps/leader-metrics', {
      LEADER_METRICS_PORT: String(await freePort()),
      LEADER_INSTANCE_ID: 'stats-test-leader',
      LEADER_INTERVAL_SECONDS: '2',
      LEADER_SESSION_TIMEOUT_MS: '6000',
      LOG_LEVEL: 'warn',
    });
  }, 60_000);

  afterAll(async () => {
    leader.signal('SIGTERM');
    await leader.exited;
    await gateway.stop();
  }, 30_000);

  it('serves the newest snapshot published by the elected leader', async () => {
    const started = Date.now();
    const stats = await waitFor(
      'a snapshot generated after the test started',
      async () => {
        const res = await fetch(`${gateway.url}/stats`);
        if (res.status !== 200) return undefined;
        const body = (await res.json()) as { generatedAt: number; epoch: number; leaderId: string; consumerLag: unknown[]; ageSeconds: number };
        return body.generatedAt >= started ? body : undefined;
      },
      60_000,
      500,
    );
    expect(stats.epoch).toBeGreaterThan(0);
    expect(typeof stats.leaderId).toBe('string');
    expect(Array.isArray(stats.consumerLag)).toBe(true);
    expect(stats.ageSeconds).toBeLessThan(30);
  }, 90_000);
});
