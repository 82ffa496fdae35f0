import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { MongoClient } from 'mongodb';
import { createKafka, ensureTopics, loadKafkaConfig, type LoggerLike } from '@wiber/kafka';
import { AppProcess, BROKERS, freePort, MONGO_URI, SCHEMA_REGISTRY_URL, waitFor } from '@wiber/testing';
import { fuzzRequest, gzipBomb, validPost, type FuzzLimits } from './support/fuzz-requests';
import { sendRaw, type RawRequest, type RawResponse } from './support/raw-http';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

const REQUESTS = 10_000;
const BATCH = 250;
const CONCURRENCY = 16;
const LIMITS: FuzzLimits = { bodyLimitBytes: 16_384, maxContentBytes: 1_024 };
/**
 * How much the gateway's resident memory may grow over the run. Measured on this machine it
 * grows by tens of MB (V8 sizing its heap to the load, the idempotency cache of the accepted
 * messages, kafkajs buffers). A leak of what the fuzzing sends would be far larger: 10,000
 * requests average ~70 KB each (~400 of them are 0.2-1.5 MB bodies), so keeping even a tenth
 * of the bytes read, or one 16 KB buffer per request, exceeds this bound.
 */
const RSS_GROWTH_BOUND_MB = 120;
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1_000_000_000);

/** VmRSS of a process from /proc, in MB. */
function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/**
 * The gateway answers an oversized or unroutable request without reading its body and closes
 * the connection; the body still in flight then makes the server's TCP stack reset it, and
 * the client's write fails (EPIPE) or its read is reset (ECONNRESET), often before the answer
 * could be read. That is the only "no response" accepted, and only for bodies over the limit.
 */
function resetWhileSendingOversizedBody(request: RawRequest, response: RawResponse): boolean {
  return response.status === 0 && request.body.length > LIMITS.bodyLimitBytes && ['EPIPE', 'ECONNRESET'].includes(response.error ?? '');
}

/** What is wrong with a response, or undefined when it is acceptable. */
function responseProblem(request: RawRequest, response: RawResponse): string | undefined {
  if (resetWhileSendingOversizedBody(request, response)) return undefined;
  if (response.status === 0) return `no response (${response.error ?? 'connection closed'})`;
  if (response.status >= 500) return `answered ${response.status}: ${response.body.toString('utf8').slice(0, 300)}`;
  if (response.status >= 400) {
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('application/problem+json')) return `${response.status} with content-type "${type}": ${response.body.toString('latin1').slice(0, 200)}`;
    if (request.method === 'HEAD') return undefined;
    try {
      const problem = JSON.parse(response.body.toString('utf8')) as { status?: unknown; title?: unknown };
      if (problem.status !== response.status || typeof problem.title !== 'string') return `problem body does not match: ${response.body.toString('utf8').slice(0, 200)}`;
    } catch {
      return `${response.status} body is not JSON: ${response.body.toString('latin1').slice(0, 200)}`;
    }
  }
  return undefined;
}

function describeRequest(request: RawRequest): string {
  const body = request.body.length > 200 ? `${request.body.length} bytes` : JSON.stringify(request.body.toString('latin1'));
  return `${JSON.stringify(request.method)} ${JSON.stringify(request.target.slice(0, 200))} headers=${JSON.stringify(request.headers.map(([n, v]) => [n, v.slice(0, 100)]))} chunk=${request.chunkSize ?? '-'} body=${body}`;
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

/**
 * GET /stats is 503 until the gateway has seen a snapshot on wiber.metrics (a fresh stack has
 * none): a missing dependency, not bad input. A real leader-metrics publishes one first; the
 * gateway keeps serving the newest snapshot after the leader stops.
 */
async function untilStatsServed(gatewayPort: number): Promise<void> {
  if ((await fetch(`http://127.0.0.1:${gatewayPort}/stats`)).status === 200) return;
  const leader = new AppProcess('apps/leader-metrics', {
    KAFKA_BROKERS: BROKERS,
    SCHEMA_REGISTRY_URL,
    MONGO_URI,
    LEADER_METRICS_PORT: String(await freePort()),
    LEADER_INSTANCE_ID: 'fuzz-test-leader',
    LEADER_INTERVAL_SECONDS: '2',
    LEADER_SESSION_TIMEOUT_MS: '6000',
    LOG_LEVEL: 'warn',
  });
  try {
    await waitFor('GET /stats to serve a snapshot', async () => (await fetch(`http://127.0.0.1:${gatewayPort}/stats`)).status === 200, 60_000, 500);
  } finally {
    await leader.ensureStopped();
  }
}

describe('gateway under 10,000 fuzzed HTTP requests (a real process on the local stack)', () => {
  const id = randomUUID().slice(0, 8);
  const topic = `test.gateway.fuzz.${id}`;
  const database = `wiber_test_fuzz_${id}`;
  const kafka = createKafka(loadKafkaConfig('gateway-fuzz-test', { KAFKA_BROKERS: BROKERS, SCHEMA_REGISTRY_URL }), quiet);
  let gateway: AppProcess | undefined;
  let port = 0;

  beforeAll(async () => {
    await ensureTopics(kafka, [{ name: topic, partitions: 6, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]);
    port = await freePort();
    gateway = new AppProcess('apps/gateway', {
      KAFKA_BROKERS: BROKERS,
      SCHEMA_REGISTRY_URL,
      MONGO_URI,
      MONGO_DATABASE: database,
      GATEWAY_PORT: String(port),
      GATEWAY_TOPIC: topic,
      MAX_CONTENT_BYTES: String(LIMITS.maxContentBytes),
      BODY_LIMIT_BYTES: String(LIMITS.bodyLimitBytes),
      LOG_LEVEL: 'warn',
    });
    const app = gateway;
    await waitFor('the gateway to be ready', async () => {
      if (!app.isRunning()) throw new Error(`gateway exited: ${app.stderr}`);
      return (await fetch(`http://127.0.0.1:${port}/health/readiness`)).status === 200;
    }, 60_000);
    await untilStatsServed(port);
  }, 150_000);

  afterAll(async () => {
    await gateway?.ensureStopped();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    const subject = `${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(`${topic}-value`)}`;
    await fetch(subject, { method: 'DELETE' }).catch(() => undefined);
    await fetch(`${subject}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
    const client = new MongoClient(MONGO_URI, { serverSelectionTimeoutMS: 2_000 });
    await client.db(database).dropDatabase().catch(() => undefined);
    await client.close();
  }, 60_000);

  it(`answers every request with < 500 and every 4xx with problem+json, stays up, healthy and within ${RSS_GROWTH_BOUND_MB} MB of its starting RSS`, async () => {
    const app = gateway;
    if (app === undefined || app.pid === undefined) throw new Error('no gateway');
    const pid = app.pid;
    // only what the fuzzing makes it log (waiting for /stats above logged its expected 503s)
    const logLinesBefore = app.logLines().length;

    // warm up (JIT, pools, producer), so the starting RSS is that of a working gateway
    for (let i = 0; i < 200; i += 1) {
      const warm = await sendRaw(port, validPost('alice', 'bob', `warm-up ${i}`));
      expect(warm.status).toBe(202);
    }
    const rssStart = rssMb(pid);
    let rssPeak = rssStart;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb(pid));
    }, 250);

    const statuses = new Map<number, number>();
    let oversized = 0;
    let resets = 0;
    const failures: string[] = [];
    let sent = 0;
    const started = Date.now();
    const check = async (request: RawRequest): Promise<void> => {
      const response = await sendRaw(port, request);
      sent += 1;
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (request.body.length > LIMITS.bodyLimitBytes) oversized += 1;
      if (resetWhileSendingOversizedBody(request, response)) resets += 1;
      const problem = responseProblem(request, response);
      if (problem !== undefined && failures.length < 20) failures.push(`${problem}\n    request: ${describeRequest(request)}`);
    };
    try {
      for (let batch = 0; batch * BATCH < REQUESTS; batch += 1) {
        // generated a batch at a time: the ~400 bodies of up to 1.5 MB are not all held at once
        const requests = fc.sample(fuzzRequest(LIMITS), { seed: SEED + batch, numRuns: Math.min(BATCH, REQUESTS - batch * BATCH) });
        if (batch === 0) requests.push(gzipBomb(50_000_000), gzipBomb(200_000));
        await pool(requests, CONCURRENCY, check);
      }
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - started) / 1000;

    const liveness = await fetch(`http://127.0.0.1:${port}/health/liveness`);
    const accepted = await sendRaw(port, validPost('carol', 'dave', 'still accepting after the fuzzing'));
    const rssEnd = rssMb(pid);
    const histogram = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
    process.stdout.write(
      `fuzz seed ${SEED}: ${sent} requests in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)}/s, ${CONCURRENCY} at a time); statuses ${JSON.stringify(histogram)} (0 = reset while sending a body over the limit: ${resets} of ${oversized} such requests)\n` +
        `gateway pid ${pid} RSS: start ${rssStart.toFixed(1)} MB, peak ${rssPeak.toFixed(1)} MB, end ${rssEnd.toFixed(1)} MB (bound: start + ${RSS_GROWTH_BOUND_MB} MB)\n`,
    );

    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(REQUESTS);
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    // the generators reached the happy path and the rejections alike
    expect(statuses.get(202) ?? 0).toBeGreaterThan(0);
    expect([400, 404, 405, 413, 415].every((status) => (statuses.get(status) ?? 0) > 0)).toBe(true);
    expect({ running: app.isRunning(), pid: app.pid, liveness: liveness.status, post: accepted.status }).toEqual({ running: true, pid, liveness: 200, post: 202 });
    expect(rssEnd).toBeLessThan(rssStart + RSS_GROWTH_BOUND_MB);
    // nothing the gateway logged as its own failure
    expect(app.logLines().slice(logLinesBefore).filter((line) => line['message'] === 'request failed')).toEqual([]);
  }, 240_000);
});
