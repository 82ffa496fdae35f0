import { HttpProblem } from './problem';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'express';
import { pageQuery, sendAccepted } from './messages-routes';
import { encodeCursor } from '@wiber/mongo';

function problemOf(query: Record<string, unknown>): HttpProblem {
  try {
    pageQuery(query as never);
  } catch (error) {
    return error as HttpProblem;
  }
  throw new Error('expected a problem');
}

describe('pageQuery', () => {
  it('defaults to the first 50 by offset', () => {
    expect(pageQuery({})).toEqual({ limit: 50, offset: 0, cursor: undefined });
  });

  it('reads limit, offset and a cursor', () => {
    expect(pageQuery({ limit: '10', offset: '20' })).toEqual({ limit: 10, offset: 20, cursor: undefined });
    const cursor = encodeCursor({ sentAt: 5, messageId: 'm' });
    expect(pageQuery({ cursor })).toEqual({ limit: 50, offset: 0, cursor: { sentAt: 5, messageId: 'm' } });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '201' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ offset: '-1' }, 'offset'],
    [{ limit: ['1', '2'] }, 'limit'],
    [{ cursor: 'nonsense' }, 'cursor'],
    [{ cursor: encodeCursor({ sentAt: 1, messageId: 'x' }), offset: '3' }, 'cursor'],
    [{ page: '2' }, 'page'],
  ])('rejects %p naming %s', (query, name) => {
    const problem = problemOf(query);
    expect(problem.status).toBe(400);
    expect(problem.extras.errors?.map((e) => e.pointer)).toContain(name);
  });
});

describe('sendAccepted', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const accepted = { messageId: 'm-1', conversationId: 'alice:bob', timestamp: 1_700_000_000_000 };
      sendAccepted(res as unknown as Response, accepted, req.url === '/with-location' ? '/messages/alice/bob' : undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers 202 with the JSON body, its length, the JSON content type and the Location', async () => {
    const res = await fetch(`${url}/with-location`, { method: 'POST' });
    const text = await res.text();
    expect(res.status).toBe(202);
    expect(JSON.parse(text)).toEqual({ messageId: 'm-1', conversationId: 'alice:bob', timestamp: 1_700_000_000_000 });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(res.headers.get('location')).toBe('/messages/alice/bob');
  });

  it('leaves Location out when there is none (a remembered keyed send)', async () => {
    const res = await fetch(`${url}/plain`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.json()).toMatchObject({ messageId: 'm-1' });
  });
});
