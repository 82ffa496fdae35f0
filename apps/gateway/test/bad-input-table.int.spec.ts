import fc from 'fast-check';
import { startTestGateway } from './support/gateway-fixture';

interface Case {
  name: string;
  method?: string;
  path?: string;
  contentType?: string | null;
  body?: string;
  headers?: Record<string, string>;
  status: number;
}

const ok = { fromUser: 'alice', toUser: 'bob', content: 'hi' };
const json = (value: unknown): string => JSON.stringify(value);

/** Every malformed request and the exact status it must get. */
const CASES: Case[] = [
  { name: 'empty body', body: '', status: 400 },
  { name: 'truncated JSON', body: '{"fromUser":"alice"', status: 400 },
  { name: 'trailing garbage', body: `${json(ok)}x`, status: 400 },
  { name: 'single quotes', body: "{'fromUser':'alice'}", status: 400 },
  { name: 'JSON null', body: 'null', status: 400 },
  { name: 'JSON array', body: json([ok]), status: 400 },
  { name: 'JSON string', body: '"hello"', status: 400 },
  { name: 'JSON number', body: '42', status: 400 },
  { name: 'empty object', body: '{}', status: 400 },
  { name: 'missing fromUser', body: json({ toUser: 'bob', content: 'hi' }), status: 400 },
  { name: 'missing toUser', body: json({ fromUser: 'alice', content: 'hi' }), status: 400 },
  { name: 'missing content', body: json({ fromUser: 'alice', toUser: 'bob' }), status: 400 },
  { name: 'unknown field', body: json({ ...ok, priority: 1 }), status: 400 },
  { name: 'fromUser not a string', body: json({ ...ok, fromUser: 7 }), status: 400 },
  { name: 'content an object', body: json({ ...ok, content: { text: 'hi' } }), status: 400 },
  { name: 'content null', body: json({ ...ok, content: null }), status: 400 },
  { name: 'empty fromUser', body: json({ ...ok, fromUser: '' }), status: 400 },
  { name: 'fromUser with a space', body: json({ ...ok, fromUser: 'al ice' }), status: 400 },
  { name: 'fromUser with a colon', body: json({ ...ok, fromUser: 'a:b' }), status: 400 },
  { name: 'fromUser of 65 characters', body: json({ ...ok, fromUser: 'a'.repeat(65) }), status: 400 },
  { name: 'non-ASCII user id', body: json({ ...ok, toUser: 'bób' }), status: 400 },
  { name: 'sending to oneself', body: json({ ...ok, toUser: 'alice' }), status: 400 },
  { name: 'empty content', body: json({ ...ok, content: '' }), status: 400 },
  { name: 'blank content', body: json({ ...ok, content: '   \n' }), status: 400 },
  { name: 'content one byte over the limit', body: json({ ...ok, content: 'é'.repeat(512) + 'x' }), status: 400 },
  { name: 'body over the body limit', body: json({ ...ok, content: 'x'.repeat(100_000) }), status: 413 },
  { name: 'clientMessageId with a space', body: json({ ...ok, clientMessageId: 'a b' }), status: 400 },
  { name: 'clientMessageId too long', body: json({ ...ok, clientMessageId: 'k'.repeat(129) }), status: 400 },
  { name: 'Idempotency-Key with a space', body: json(ok), headers: { 'idempotency-key': 'a b' }, status: 400 },
  { name: 'Idempotency-Key and clientMessageId differ', body: json({ ...ok, clientMessageId: 'a' }), headers: { 'idempotency-key': 'b' }, status: 400 },
  { name: 'text/plain content type', contentType: 'text/plain', body: json(ok), status: 415 },
  { name: 'form content type', contentType: 'application/x-www-form-urlencoded', body: 'fromUser=alice', status: 415 },
  { name: 'no content type', contentType: null, body: json(ok), status: 415 },
  { name: 'unsupported charset', contentType: 'application/json; charset=latin-9', body: json(ok), status: 415 },
  { name: 'gzip content encoding that is not gzip', body: json(ok), headers: { 'content-encoding': 'gzip' }, status: 400 },
  { name: 'unknown route', method: 'GET', path: '/users', status: 404 },
  { name: 'too deep a path', method: 'GET', path: '/messages/a/b/c', status: 404 },
  { name: 'DELETE on /messages', method: 'DELETE', path: '/messages', status: 405 },
  { name: 'GET on /messages', method: 'GET', path: '/messages', status: 405 },
  { name: 'POST on a conversation', method: 'POST', path: '/messages/alice/bob', body: json(ok), status: 405 },
  { name: 'invalid user in a read', method: 'GET', path: '/messages/alice/b%20b', status: 400 },
  { name: 'limit 0', method: 'GET', path: '/messages/alice/bob?limit=0', status: 400 },
  { name: 'limit 201', method: 'GET', path: '/messages/alice/bob?limit=201', status: 400 },
  { name: 'negative offset', method: 'GET', path: '/messages/alice/bob?offset=-5', status: 400 },
  { name: 'limit given twice', method: 'GET', path: '/messages/alice/bob?limit=1&limit=2', status: 400 },
  { name: 'garbage cursor', method: 'GET', path: '/messages/alice/bob?cursor=%%%', status: 400 },
  { name: 'unknown query parameter', method: 'GET', path: '/messages/alice/bob?page=2', status: 400 },
];

describe('gateway bad-input table', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    gateway = await startTestGateway({ MAX_CONTENT_BYTES: '1024', BODY_LIMIT_BYTES: '16384' });
  });

  afterAll(() => gateway.stop());

  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s → exact status, problem+json', async (_name, c) => {
    const headers: Record<string, string> = { ...c.headers };
    if (c.contentType !== null && c.body !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
    const res = await fetch(`${gateway.url}${c.path ?? '/messages'}`, {
      method: c.method ?? 'POST',
      headers,
      ...(c.body !== undefined ? { body: c.body } : {}),
    });
    expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({
      status: c.status,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    const problem = (await res.json()) as { status: number; detail: string };
    expect(problem.status).toBe(c.status);
    expect(problem.detail.length).toBeGreaterThan(0);
  });

  it('no generated body, content type or header makes it answer 5xx', async () => {
    const anyJson = fc.jsonValue({ maxDepth: 3 });
    const messageLike = fc.record(
      {
        fromUser: fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('alice', 'bob'), anyJson),
        toUser: fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('alice', 'bob'), anyJson),
        content: fc.oneof(fc.string({ maxLength: 1100 }), fc.string({ unit: 'grapheme', maxLength: 400 }), anyJson),
        clientMessageId: fc.oneof(fc.string({ maxLength: 140 }), anyJson),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      messageLike.map((m) => JSON.stringify(m)),
      anyJson.map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/json; charset=utf-16', '');
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, contentType, fc.option(fc.string({ maxLength: 140 }), { nil: undefined }), async (payload, type, key) => {
        const headers: Record<string, string> = {};
        if (type !== '') headers['content-type'] = type;
        if (key !== undefined && /^[\x20-\x7E]*$/.test(key)) headers['idempotency-key'] = key;
        const res = await fetch(`${gateway.url}/messages`, { method: 'POST', headers, body: payload });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        return res.status < 500;
      }),
      { numRuns: 400 },
    );
    // the generators reached both the rejections and the happy path
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    expect((await fetch(`${gateway.url}/health/liveness`)).status).toBe(200);
  }, 120_000);
});
