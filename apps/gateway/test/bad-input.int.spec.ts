import { postMessage, startTestGateway } from './support/gateway-fixture';

/** A client's mistake is a precise 4xx problem+json, never a 5xx. */
describe('gateway bad input', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    gateway = await startTestGateway({ MAX_CONTENT_BYTES: '1024' });
  });

  afterAll(() => gateway.stop());

  const valid = { fromUser: 'alice', toUser: 'bob', content: 'hi' };

  async function expectProblem(res: Response | Promise<Response>, status: number, detail: RegExp): Promise<Record<string, unknown>> {
    const response = await res;
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status, title: expect.any(String), type: expect.stringMatching(/^urn:wiber:problem:/) });
    expect(JSON.stringify(body)).toMatch(detail);
    return body;
  }

  const post = (body: string, contentType = 'application/json', headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/messages`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });

  it('malformed JSON is 400', async () => {
    await expectProblem(post('{"fromUser": "alice",'), 400, /not valid JSON/);
  });

  it('a wrong content type is 415', async () => {
    await expectProblem(post('fromUser=alice', 'application/x-www-form-urlencoded'), 415, /application\/json/);
    await expectProblem(fetch(`${gateway.url}/messages`, { method: 'POST', body: JSON.stringify(valid) }), 415, /Content-Type/);
  });

  it('missing, unknown and wrongly typed fields are 400 with a pointer each', async () => {
    const body = await expectProblem(post(JSON.stringify({ toUser: 'bob', content: 1, extra: true })), 400, /errors/);
    expect((body['errors'] as { pointer: string }[]).map((e) => e.pointer).sort()).toEqual(['/content', '/extra', '/fromUser']);
    await expectProblem(post(JSON.stringify({ ...valid, content: 5 })), 400, /\/content.*must be string/);
  });

  it('invalid user ids, sending to oneself and empty content are 400', async () => {
    await expectProblem(post(JSON.stringify({ ...valid, fromUser: 'no spaces allowed' })), 400, /\/fromUser/);
    await expectProblem(post(JSON.stringify({ ...valid, toUser: 'alice' })), 400, /oneself/);
    await expectProblem(post(JSON.stringify({ ...valid, content: '' })), 400, /must not be empty/);
  });

  it('content over the configured limit is 400, a body over the body limit is 413', async () => {
    await expectProblem(post(JSON.stringify({ ...valid, content: 'x'.repeat(1025) })), 400, /1025 bytes of UTF-8, more than the limit of 1024/);
    await expectProblem(post(JSON.stringify({ ...valid, content: 'x'.repeat(20_000) })), 413, /too large/);
  });

  it('a bad Idempotency-Key is 400', async () => {
    await expectProblem(post(JSON.stringify(valid), 'application/json', { 'idempotency-key': 'has spaces in it' }), 400, /Idempotency-Key/);
  });

  it('an unknown route is 404 and a wrong method 405 with Allow', async () => {
    await expectProblem(fetch(`${gateway.url}/nope`), 404, /no route GET \/nope/);
    await expectProblem(fetch(`${gateway.url}/messages/a/b/c`), 404, /no route/);
    const res = await fetch(`${gateway.url}/messages`, { method: 'DELETE' });
    expect(res.headers.get('allow')).toBe('POST');
    await expectProblem(res, 405, /DELETE is not allowed/);
    await expectProblem(fetch(`${gateway.url}/messages/alice/bob`, { method: 'PUT' }), 405, /use GET, HEAD/);
  });

  it('bad read parameters are 400', async () => {
    await expectProblem(fetch(`${gateway.url}/messages/alice/bad%20id`), 400, /not a valid user id/);
    await expectProblem(fetch(`${gateway.url}/messages/alice/bob?limit=0`), 400, /limit/);
    await expectProblem(fetch(`${gateway.url}/messages/alice/bob?cursor=garbage`), 400, /cursor is not valid/);
  });

  it('serves the OpenAPI document and the interactive docs', async () => {
    const doc = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/messages', '/messages/{user1}/{user2}', '/messages/count']));
    const docs = await fetch(`${gateway.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
  });

  it('never answered 5xx to any of the above', async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).not.toMatch(/wiber_http_requests_total\{[^}]*status="5\d\d"/);
    // a valid message still goes through after all that
    expect((await postMessage(gateway.url, { ...valid, fromUser: 'zed', toUser: 'amy' })).status).toBe(202);
  });
});
