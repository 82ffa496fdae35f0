import { mintToken } from '../src/mint-token';
import { dropTestDatabase, postMessage, startTestGateway, testDatabase, uniqueUser } from './support/gateway-fixture';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long';

describe('gateway with AUTH_MODE=jwt', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  const database = testDatabase('auth');
  const alice = uniqueUser('alice');
  const bob = uniqueUser('bob');

  beforeAll(async () => {
    // a private database: a read of the shared one (FerretDB scans) can outlast READ_TIMEOUT_MS
    gateway = await startTestGateway({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET, MONGO_DATABASE: database });
    await gateway.publisher.whenReady();
  });

  afterAll(async () => {
    await gateway?.stop();
    await dropTestDatabase(database);
  });

  const bearer = async (sub: string, secret = SECRET) => ({ authorization: `Bearer ${await mintToken(sub, secret, 60)}` });

  it('requires a valid bearer token', async () => {
    const none = await postMessage(gateway.url, { fromUser: alice, toUser: bob, content: 'hi' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const forged = await postMessage(gateway.url, { fromUser: alice, toUser: bob, content: 'hi' }, await bearer(alice, 'another-secret-that-is-32-bytes-long!!'));
    expect(forged.status).toBe(401);
    expect(String(forged.json['detail'])).toMatch(/signature/);
  });

  it('lets a user send only as themselves', async () => {
    expect((await postMessage(gateway.url, { fromUser: bob, toUser: alice, content: 'spoof' }, await bearer(alice))).status).toBe(403);
    expect((await postMessage(gateway.url, { fromUser: alice, toUser: bob, content: 'real' }, await bearer(alice))).status).toBe(202);
  });

  it('lets only the participants read a conversation', async () => {
    const url = `${gateway.url}/messages/${alice}/${bob}`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: await bearer('mallory') })).status).toBe(403);
    expect((await fetch(url, { headers: await bearer(bob) })).status).toBe(200);
  });

  it('keeps health and metrics open for probes and scrapers', async () => {
    expect((await fetch(`${gateway.url}/health/liveness`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(200);
  });
});
