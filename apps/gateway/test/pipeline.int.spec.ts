import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { createConsumer, createKafka, loadKafkaConfig, TOPICS, type LoggerLike } from '@wiber/kafka';
import { AppProcess, freePort, waitFor } from '@wiber/testing';
import { postMessage, startTestGateway, uniqueUser } from './support/gateway-fixture';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

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
  const database = `wiber_test_gw_${randomUUID().slice(0, 8)}`;
  const env = { MONGO_DATABASE: database };
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let second: Awaited<ReturnType<typeof startTestGateway>>;
  let ingest: AppProcess;

  const readAll = async (a: string, b: string, limit = 200): Promise<Page> =>
    (await (await fetch(`${gateway.url}/messages/${a}/${b}?limit=${limit}`)).json()) as Page;

  beforeAll(async () => {
    ingest = new AppProcess('apps/ingest-consumer', {
      ...env,
      INGEST_GROUP_ID: `test-gw-ingest-${randomUUID().slice(0, 8)}`,
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
    const kafka = createKafka(loadKafkaConfig('gateway-test-reader'), quiet);
    const consumer: Consumer = createConsumer(kafka, `test-gw-reader-${randomUUID().slice(0, 8)}`);
    const requestId = `req-${randomUUID()}`;
    let resolveSeen: (header: string) => void = () => undefined;
    const seen = new Promise<string>((resolve) => {
      resolveSeen = resolve;
    });
    try {
      await consumer.connect();
      // from the beginning: "latest" would be resolved at the first fetch, possibly after the send
      await consumer.subscribe({ topic: TOPICS.messages, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const header = message.headers?.['x-correlation-id']?.toString();
          if (header === requestId) resolveSeen(header);
        },
      });
      const res = await postMessage(gateway.url, { fromUser: uniqueUser('gina'), toUser: uniqueUser('hal'), content: 'traced' }, { 'x-request-id': requestId });
      expect(res.status).toBe(202);
      expect(res.headers.get('x-request-id')).toBe(requestId);
      await expect(Promise.race([seen, new Promise((r) => setTimeout(() => r('timeout'), 30_000))])).resolves.toBe(requestId);
    } finally {
      await consumer.disconnect();
    }
  });

  it('counts stored messages and exports metrics', async () => {
    const count = (await (await fetch(`${gateway.url}/messages/count`)).json()) as { count: number };
    expect(count.count).toBeGreaterThanOrEqual(6);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/wiber_gateway_messages_accepted_total\{[^}]*\} [1-9]/);
    expect(metrics).toContain('wiber_gateway_produce_duration_seconds_bucket');
    expect((await fetch(`${gateway.url}/health/readiness`)).status).toBe(200);
  });
});
