import { RetryingClient } from './client';
import { DEFAULT_RETRY_POLICY } from './retry-policy';

const request = { fromUser: 'a', toUser: 'b', content: 'hi' };
const noWait = () => Promise.resolve();

/** A scripted fetch: each call takes the next answer (a status, or an error to throw) and records the URL and key. */
function scripted(answers: Array<number | Error>) {
  const calls: Array<{ url: string; key: string | undefined }> = [];
  const fetchImpl = async (url: string, init: RequestInit) => {
    calls.push({ url, key: (init.headers as Record<string, string>)['Idempotency-Key'] });
    const next = answers.shift();
    if (next === undefined) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return new Response(next === 202 ? '{}' : 'problem', { status: next, headers: next === 503 ? { 'Retry-After': '1' } : {} });
  };
  return { calls, fetchImpl };
}

describe('RetryingClient', () => {
  it('retries 503 on the same gateway with the same key until 202', async () => {
    const { calls, fetchImpl } = scripted([503, 503, 202]);
    const outcome = await new RetryingClient(['http://a', 'http://b'], DEFAULT_RETRY_POLICY, fetchImpl, noWait).send(7, 'run-7', request);
    expect(outcome).toMatchObject({ seq: 7, key: 'run-7', attempts: 3, status: 'acknowledged', lastProblem: 'HTTP 503' });
    expect(calls).toEqual(Array(3).fill({ url: 'http://a/messages', key: 'run-7' }));
  });

  it('moves to the next gateway after a connection error, and stays there', async () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const { calls, fetchImpl } = scripted([refused, 202, 202]);
    const client = new RetryingClient(['http://a', 'http://b'], DEFAULT_RETRY_POLICY, fetchImpl, noWait);
    const first = await client.send(1, 'k1', request);
    const second = await client.send(2, 'k2', request);
    expect(first).toMatchObject({ attempts: 2, status: 'acknowledged', lastProblem: 'TypeError: ECONNREFUSED' });
    expect(second.attempts).toBe(1);
    expect(calls.map((c) => `${c.url} ${c.key}`)).toEqual(['http://a/messages k1', 'http://b/messages k1', 'http://b/messages k2']);
  });

  it('does not retry a definite 4xx answer', async () => {
    const { calls, fetchImpl } = scripted([422]);
    const outcome = await new RetryingClient(['http://a'], DEFAULT_RETRY_POLICY, fetchImpl, noWait).send(1, 'k', request);
    expect(outcome).toMatchObject({ status: 'rejected', attempts: 1, ackedAt: undefined });
    expect(calls).toHaveLength(1);
  });

  it('gives up (unacknowledged) once the next wait would pass the give-up time', async () => {
    const { fetchImpl } = scripted(Array(50).fill(503));
    const policy = { ...DEFAULT_RETRY_POLICY, giveUpAfterMs: 500 };
    const outcome = await new RetryingClient(['http://a'], policy, fetchImpl, noWait).send(1, 'k', request);
    expect(outcome.status).toBe('unacknowledged');
    expect(outcome.attempts).toBe(1);
  });

  it('counts requests in flight per gateway', async () => {
    let release: (r: Response) => void = () => undefined;
    const fetchImpl = () => new Promise<Response>((resolve) => (release = resolve));
    const client = new RetryingClient(['http://a'], DEFAULT_RETRY_POLICY, fetchImpl, noWait);
    const pending = client.send(1, 'k', request);
    expect(client.inFlight('http://a')).toBe(1);
    release(new Response('{}', { status: 202 }));
    await pending;
    expect(client.inFlight('http://a')).toBe(0);
  });
});
