import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { RawRequest } from './raw-http';

/** Sizes of the gateway the generators aim at (bodies just under, at and over the limit). */
export interface FuzzLimits {
  bodyLimitBytes: number;
  maxContentBytes: number;
}

const USERS = ['alice', 'bob', 'carol', 'dave', 'a.b-c_d', 'x'.repeat(64)];

const valid = (): Record<string, unknown> => ({ fromUser: 'alice', toUser: 'bob', content: 'hi' });

/** Bytes that are not UTF-8: lone continuation bytes, overlongs, surrogates, truncated sequences. */
const invalidUtf8 = fc.constantFrom(
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0x00]),
);

const weirdString = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\u202e', 'null', '__proto__', 'constructor', '💬'.repeat(30), 'é'.repeat(600)),
);

const wrongType = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, [], {}),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A valid message with fields changed, removed, added or of the wrong type. */
const nearValidMessage = fc
  .record({
    fromUser: fc.oneof(fc.constantFrom(...USERS), weirdString, wrongType),
    toUser: fc.oneof(fc.constantFrom(...USERS), weirdString, wrongType),
    content: fc.oneof(fc.string({ minLength: 1, maxLength: 200 }), weirdString, wrongType),
    clientMessageId: fc.oneof(fc.uuid(), weirdString, wrongType),
    extra: fc.oneof(weirdString, wrongType),
  }, { requiredKeys: [] })
  .map((fields) => JSON.stringify({ ...valid(), ...fields }));

/** Nesting deep enough to stress recursive code (body parser, validator, error formatting). */
const deepNesting = fc.tuple(fc.integer({ min: 100, max: 12_000 }), fc.constantFrom('array', 'object', 'content')).map(([depth, shape]) => {
  if (shape === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const nested = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return shape === 'object' ? nested : `{"fromUser":"alice","toUser":"bob","content":${nested}}`;
});

/** JSON text (or not quite) as a Buffer. */
function jsonBody(limits: FuzzLimits): fc.Arbitrary<Buffer> {
  const text = fc.oneof(
    { weight: 4, arbitrary: nearValidMessage },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
    { weight: 1, arbitrary: deepNesting },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '}', '{"fromUser":', 'nul', '[1,]', '{"a":1}garbage', '\ufeff{}', '{"content":"\\ud800"}', '{"__proto__":{"polluted":true},"fromUser":"alice","toUser":"bob","content":"x"}', '{"constructor":{"prototype":{"x":1}},"fromUser":"alice","toUser":"bob","content":"x"}') },
    {
      weight: 1,
      arbitrary: fc.integer({ min: limits.maxContentBytes - 4, max: limits.maxContentBytes + 4 }).map((n) => JSON.stringify({ ...valid(), content: 'x'.repeat(n) })),
    },
  );
  return fc.oneof(
    { weight: 8, arbitrary: text.map((t) => Buffer.from(t, 'utf8')) },
    // invalid UTF-8 spliced into a message's content
    { weight: 1, arbitrary: invalidUtf8.map((bad) => Buffer.concat([Buffer.from('{"fromUser":"alice","toUser":"bob","content":"a'), bad, Buffer.from('b"}')])) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)) },
    // padded with whitespace to just under, at and just over the body limit
    {
      weight: 1,
      arbitrary: fc.integer({ min: -2, max: 2 }).map((delta) => {
        const head = JSON.stringify(valid());
        return Buffer.from(head + ' '.repeat(Math.max(0, limits.bodyLimitBytes + delta - head.length)));
      }),
    },
    // huge: far over the limit (the gateway must stop reading, not buffer it)
    { weight: 1, arbitrary: fc.integer({ min: 200_000, max: 1_500_000 }).map((n) => Buffer.from(JSON.stringify({ ...valid(), content: 'h'.repeat(n) }))) },
  );
}

const contentType = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json;charset="utf-8"'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=no-such-charset',
      'application/json; charset=',
      'application/json; boundary=x; charset=utf-8; charset=utf-16',
      'application/problem+json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=----x',
      'text/plain',
      'text/json',
      '*/*',
      'application/',
      ';;;',
      'application/json\tx',
      'APPLICATION/JSON',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);

const contentEncoding = fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'gzip, deflate', 'x-garbage', 'GZIP', '');

/** A header value as latin1 bytes: printable, obs-text (0x80-0xff), or with control characters. */
const headerValue = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0x00, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 20_000 }).map((n) => 'k'.repeat(n)) },
);

const oddHeaders = fc.array(
  fc.oneof(
    fc.tuple(fc.constant('Idempotency-Key'), fc.oneof(fc.uuid(), headerValue, fc.constantFrom('', ' ', 'a b', 'k'.repeat(129), '../../etc'))),
    fc.tuple(fc.constant('X-Request-Id'), fc.oneof(fc.uuid(), headerValue, fc.constantFrom('', '\u001b[31mred', '{"json":1}', 'r'.repeat(10_000)))),
    fc.tuple(
      fc.constant('Authorization'),
      fc.oneof(headerValue, fc.constantFrom('Bearer', 'Bearer ', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.', 'Basic YWxpY2U6c2VjcmV0', 'Negotiate x')),
    ),
    fc.tuple(fc.constantFrom('Accept', 'Accept-Encoding', 'Expect', 'Origin', 'Cookie', 'X-Forwarded-For', 'Range'), headerValue),
    fc.tuple(fc.string({ unit: fc.constantFrom(...'abcXYZ-_!#$%&*+.^`|~'.split('')), minLength: 1, maxLength: 20 }), headerValue),
    fc.tuple(fc.constantFrom('Bad Name', 'Bad:Name', 'Ünï', ''), headerValue),
  ),
  { maxLength: 4 },
);

const segment = fc.oneof(
  fc.constantFrom('alice', 'bob', 'count', '..', '.', '%2e%2e', '%2F', '%00', '%ZZ', '%', '%E9', '%C3%A9', '%F0%9F%92%AC', 'a%20b', '~', ';', '*', 'messages', ''),
  fc.string({ unit: fc.constantFrom(...'abcAZ09-._~!$&\'()*+,;=:@%'.split('')), maxLength: 20 }),
  fc.string({ unit: fc.integer({ min: 0x21, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 10 }),
);

const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?limit=0', '?limit=201', '?limit=10', '?offset=-1', '?offset=1e3', '?cursor=%%%', '?cursor=', '?limit=1&limit=2', '?page=2', '?limit[]=1', '?%00=1', '?limit=9999999999999999999999'),
  fc.string({ unit: fc.constantFrom(...'abc=&%?[]09'.split('')), maxLength: 30 }).map((q) => `?${q}`),
);

const target = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('/messages', '/messages/', '/messages/count', '/messages/alice/bob', '/health/liveness', '/health/readiness', '/stats', '/openapi.json', '/metrics', '/docs/') },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('/messages', '', '/health', '/docs'), fc.array(segment, { maxLength: 5 }), query).map(([base, parts, q]) => `${base}/${parts.join('/')}${q}`) },
  { weight: 1, arbitrary: fc.constantFrom('/../../etc/passwd', '/messages/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '//messages', '/messages//alice', '*', 'http://127.0.0.1/messages', '/messages#frag', '/\\messages') },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => `/messages/${'a'.repeat(n)}/bob`) },
);

const method = fc.oneof(
  { weight: 10, arbitrary: fc.constant('POST') },
  { weight: 4, arbitrary: fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('TRACE', 'post', 'FOO', 'PROPFIND', 'M-SEARCH', 'GET / HTTP/1.1\r\nX:') },
);

/** One generated request: method, target, headers and body, some with a compressed or chunked body. */
export function fuzzRequest(limits: FuzzLimits): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      method,
      target,
      contentType: fc.option(contentType, { nil: undefined, freq: 8 }),
      encoding: fc.option(contentEncoding, { nil: undefined, freq: 2 }),
      headers: oddHeaders,
      body: jsonBody(limits),
      chunked: fc.option(fc.integer({ min: 1, max: 4096 }), { nil: undefined, freq: 2 }),
      bodyless: fc.boolean(),
    })
    .map(({ method: m, target: t, contentType: type, encoding, headers, body, chunked, bodyless }) => {
      const all: Array<[string, string]> = [];
      if (type !== undefined) all.push(['Content-Type', type]);
      let payload = bodyless && m !== 'POST' ? Buffer.alloc(0) : body;
      if (encoding !== undefined) {
        all.push(['Content-Encoding', encoding]);
        // a real gzip/deflate body when the header says so (half the time: the other half lies)
        if (encoding === 'gzip' && payload.length % 2 === 0) payload = gzipSync(payload);
        if (encoding === 'deflate' && payload.length % 2 === 0) payload = deflateSync(payload);
      }
      all.push(...headers);
      return { method: m, target: t, headers: all, body: payload, ...(chunked !== undefined ? { chunkSize: chunked } : {}) };
    });
}

/** A valid POST /messages (the gateway must still accept these after the fuzzing). */
export function validPost(fromUser: string, toUser: string, content: string): RawRequest {
  return {
    method: 'POST',
    target: '/messages',
    headers: [['Content-Type', 'application/json']],
    body: Buffer.from(JSON.stringify({ fromUser, toUser, content })),
  };
}

/** A gzip bomb: a small compressed body that inflates far beyond the limit. */
export function gzipBomb(inflatedBytes: number): RawRequest {
  const body = gzipSync(Buffer.from(`{"fromUser":"alice","toUser":"bob","content":"${'0'.repeat(inflatedBytes)}"}`));
  return { method: 'POST', target: '/messages', headers: [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']], body };
}
