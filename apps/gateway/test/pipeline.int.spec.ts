import { randomUUID } from 'node:crypto';
import { AppProcess, freePort, waitFor } from '@wiber/testing';
import { dropTestDatabase, postMessage, startTestGateway, testDatabase, uniqueUser } from './support/gateway-fixture';
import { endOffsets, readRange, startGroupAtEnd } from './support/topic-range';

interface Page {
  conversationId: string;
  messages: { messageId: string; fromUser: string; toUser: string; content: string; timestamp: number }[];
  nextCursor: string | null;
}

/**
 * The heart of Wiber on the real stack: POST /messages -> Kafka (Avro, registry) ->
 * ingest-consumer (a real child process) -> MongoDB -> GET /messages/:a/:b.
 */
describe('gateway + ingest-consumer end to end', () => {
  const database = testDatabase('gw');
  const env = { MONGO_DATABASE: database };
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let second: Awaited<ReturnType<typeof startTestGateway>>;
  let ingest: AppProcess;

  const readAll = async (a: string, b: string, limit = 200): Promise<Page> =>
    (await (await fetch(`${gateway.url}/messages/${a}/${b}?limit=${limit}`)).json()) as Page;

  beforeAll(async () => {
    const group = `test-gw-ingest-${randomUUID().slice(0, 8)}`;
    // start at the end of wiber.messages: the shared stack's topic keeps other runs' records for days
    await startGroupAtEnd(group);
    ingest = new AppProcess('apps/ingest-consumer', {
      ...env,
      INGEST_GROUP_ID: group,
      INGEST_METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    });
    gateway = await startTestGateway(env);
    second = await startTestGateway(env);
    await Promise.all([gateway.publisher.whenReady(), second.publisher.whenReady()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([gateway?.stop(), second?.stop()]);
    ingest?.signal('SIGTERM');
    await ingest?.exited;
    await dropTestDatabase(database);
  }, 30_000);

  it('stores messages sent in both directions once, readable in one order from either side', async () => {
    const alice = uniqueUser('alice');
    const bob = uniqueUser('bob');
    const sent: string[] = [];
    for (let i = 0; i < 6; i++) {
      const [from, to] = i % 2 === 0 ? [alice, bob] : [bob, alice];
      const res = await postMessage(gateway.url, { fromUser: from, toUser: to, content: `message ${i}` });
      expect(res.status).toBe(202);
      expect(res.json).toEqual({
        messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        conversationId: [alice, bob].sort().join(':'),
        timestamp: expect.any(Number),
      });
      sent.push(String(res.json['messageId']));
    }
    const page = await waitFor('all 6 messages to be readable', async () => {
      const p = await readAll(alice, bob);
      return p.messages.length === 6 ? p : undefined;
    });
    expect(page.messages.map((m) => m.content)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `message ${i}`));
    expect(new Set(page.messages.map((m) => m.messageId))).toEqual(new Set(sent));
    expect((await readAll(bob, alice)).messages).toEqual(page.messages);
  });

  it('a retried request with the same Idempotency-Key, even through another gateway, is stored once', async () => {
    const carol = uniqueUser('carol');
    const dave = uniqueUser('dave');
    const body = { fromUser: carol, toUser: dave, content: 'exactly once please' };
    const key = { 'idempotency-key': `key-${randomUUID()}` };
    const first = await postMessage(gateway.url, body, key);
    const retry = await postMessage(gateway.url, body, key);
    const elsewhere = await postMessage(second.url, body, key);
    expect([first.status, retry.status, elsewhere.status]).toEqual([202, 202, 202]);
    expect(retry.json['messageId']).toBe(first.json['messageId']);
    expect(elsewhere.json['messageId']).toBe(first.json['messageId']);

    const reused = await postMessage(gateway.url, { ...body, content: 'something else' }, key);
    expect(reused.status).toBe(422);

    // a later message proves the ingest consumer has passed all three records
    await postMessage(gateway.url, { fromUser: dave, toUser: carol, content: 'later' });
    const page = await waitFor('the later message to be stored', async () => {
      const p = await readAll(carol, dave);
      return p.messages.some((m) => m.content === 'later') ? p : undefined;
    });
    expect(page.messages.filter((m) => m.content === 'exactly once please')).toHaveLength(1);
  });

  it('pages with a cursor without gaps or repeats, and offset paging agrees', async () => {
    const erin = uniqueUser('erin');
    const frank = uniqueUser('frank');
    for (let i = 0; i < 12; i++) {
      await postMessage(gateway.url, { fromUser: i % 3 === 0 ? frank : erin, toUser: i % 3 === 0 ? erin : frank, content: `m${i}` });
    }
    await waitFor('12 stored', async () => (await readAll(erin, frank)).messages.length === 12);
    const viaCursor: string[] = [];
    let cursor: string | null = null;
    do {
      const url = `${gateway.url}/messages/${erin}/${frank}?limit=5${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = (await (await fetch(url)).json()) as Page;
      viaCursor.push(...page.messages.map((m) => m.content));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(viaCursor).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`));
    const second5 = (await (await fetch(`${gateway.url}/messages/${frank}/${erin}?limit=5&offset=5`)).json()) as Page;
    expect(second5.messages.map((m) => m.content)).toEqual(['m5', 'm6', 'm7', 'm8', 'm9']);
  });

  it('carries X-Request-Id to the Kafka record as x-correlation-id', async () => {
    const requestId = `req-${randomUUID()}`;
    const before = await endOffsets();
    const res = await postMessage(gateway.url, { fromUser: uniqueUser('gina'), toUser: uniqueUser('hal'), content: 'traced' }, { 'x-request-id': requestId });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const records = await readRange(before, await endOffsets());
    const traced = records.filter((r) => r.headers['x-correlation-id']?.toString() === requestId);
    expect(traced).toHaveLength(1);
  });

  it('counts stored messages and exports metrics', async () => {
    const count = (await (await fetch(`${gateway.url}/messages/count`)).json()) as { count: number };
    expect(count.count).toBeGreaterThanOrEqual(6);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/wiber_gateway_messages_accepted_total\{[^}]*\} [1-9]/);
    expect(metrics).toContain('wiber_gateway_produce_duration_seconds_bucket');
    expect((await fetch(`${gateway.url}/health/readiness`)).status).toBe(200);
  });

  it('answers health checks: liveness, and readiness with Kafka, registry and Mongo each reported', async () => {
    expect(await (await fetch(`${gateway.url}/health/liveness`)).json()).toEqual({ status: 'up' });
    const readiness = await fetch(`${gateway.url}/health/readiness`);
    expect(readiness.status).toBe(200);
    const report = (await readiness.json()) as { status: string; checks: Record<string, { status: string }> };
    expect(report.status).toBe('up');
    expect(Object.keys(report.checks).sort()).toEqual(['kafka', 'mongo', 'registry']);
  });

  it('stores a message of exactly the content limit (64 KiB of UTF-8) intact', async () => {
    const ivy = uniqueUser('ivy');
    const jack = uniqueUser('jack');
    const content = `${'ü'.repeat(32_767)}!!`; // 2 × 32,767 + 2 = 65,536 bytes
    expect(Buffer.byteLength(content)).toBe(64 * 1024);
    const res = await postMessage(gateway.url, { fromUser: ivy, toUser: jack, content });
    expect(res.status).toBe(202);
    const page = await waitFor('the large message to be stored', async () => {
      const p = await readAll(ivy, jack);
      return p.messages.length === 1 ? p : undefined;
    });
    expect(page.messages[0]?.content).toBe(content);
  });

  it('pages through 500 messages with no gap or repeat, by cursor and by offset', async () => {
    const kim = uniqueUser('kim');
    const lee = uniqueUser('lee');
    const sent: string[] = [];
    for (let batch = 0; batch < 50; batch++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const n = batch * 10 + i;
          return postMessage(gateway.url, { fromUser: n % 2 === 0 ? kim : lee, toUser: n % 2 === 0 ? lee : kim, content: `p${n}` });
        }),
      );
      for (const r of results) {
        expect(r.status).toBe(202);
        sent.push(String(r.json['messageId']));
      }
    }
    await waitFor('500 stored', async () => {
      const count = await fetch(`${gateway.url}/messages/${kim}/${lee}?limit=1&offset=499`);
      return ((await count.json()) as Page).messages.length === 1;
    }, 90_000);

    const viaCursor: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `${gateway.url}/messages/${kim}/${lee}?limit=37${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = (await (await fetch(url)).json()) as Page;
      viaCursor.push(...page.messages.map((m) => m.messageId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(Math.ceil(500 / 37));
    expect(viaCursor).toHaveLength(500);
    expect(new Set(viaCursor)).toEqual(new Set(sent));

    const viaOffset: string[] = [];
    for (let offset = 0; offset < 500; offset += 100) {
      const page = (await (await fetch(`${gateway.url}/messages/${lee}/${kim}?limit=100&offset=${offset}`)).json()) as Page;
      viaOffset.push(...page.messages.map((m) => m.messageId));
    }
    expect(viaOffset).toEqual(viaCursor);
  }, 180_000);

  it('20 concurrent senders to one conversation lose nothing', async () => {
    const mia = uniqueUser('mia');
    const ned = uniqueUser('ned');
    const perSender = 10;
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, sender) => {
        const ids: string[] = [];
        for (let i = 0; i < perSender; i++) {
          const [from, to] = sender % 2 === 0 ? [mia, ned] : [ned, mia];
          const target = sender % 3 === 0 ? second.url : gateway.url;
          const res = await postMessage(target, { fromUser: from, toUser: to, content: `s${sender}-${i}` });
          expect(res.status).toBe(202);
          ids.push(String(res.json['messageId']));
        }
        return ids;
      }),
    );
    const accepted = results.flat();
    const page = await waitFor('all 200 stored', async () => {
      const p = await readAll(mia, ned, 200);
      return p.messages.length === 200 ? p : undefined;
    }, 90_000);
    expect(new Set(page.messages.map((m) => m.messageId))).toEqual(new Set(accepted));
    // each sender's own messages keep their order
    for (let sender = 0; sender < 20; sender++) {
      const mine = page.messages.filter((m) => m.content.startsWith(`s${sender}-`)).map((m) => m.content);
      expect(mine).toEqual(Array.from({ length: perSender }, (_, i) => `s${sender}-${i}`));
    }
  }, 120_000);
});
