import { USER_ID_PATTERN } from '@wiber/schema';
import { makeRequests, seededRandom, toChatMessage } from './workload';

describe('makeRequests', () => {
  const options = { count: 2000, users: 50, contentChars: [100, 140] as [number, number], seed: 7, userPrefix: 'b1-' };

  it('is the same for the same seed, and valid for the gateway', () => {
    const requests = makeRequests(options);
    expect(makeRequests(options)).toEqual(requests);
    expect(makeRequests({ ...options, seed: 8 })).not.toEqual(requests);
    for (const r of requests) {
      expect(USER_ID_PATTERN.test(r.fromUser) && USER_ID_PATTERN.test(r.toUser)).toBe(true);
      expect(r.fromUser).not.toBe(r.toUser);
      expect(r.content.length).toBeGreaterThanOrEqual(100);
      expect(r.content.length).toBeLessThanOrEqual(140);
    }
  });

  it('spreads over many conversations', () => {
    const conversations = new Set(makeRequests(options).map((r) => [r.fromUser, r.toUser].sort().join(':')));
    expect(conversations.size).toBeGreaterThan(500);
  });
});

describe('seededRandom', () => {
  it('stays in [0, 1)', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 1000; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});

describe('toChatMessage', () => {
  it('builds what the gateway builds: sorted conversation id, no client id', () => {
    expect(toChatMessage({ fromUser: 'bob', toUser: 'alice', content: 'hi' }, 5)).toMatchObject({
      conversationId: 'alice:bob',
      fromUser: 'bob',
      toUser: 'alice',
      sentAt: 5,
      clientMessageId: null,
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });
});
