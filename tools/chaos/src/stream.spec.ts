import type { RetryingClient } from './client';
import { dueCount, MessageStream, streamMessage } from './stream';

describe('streamMessage', () => {
  it('gives every message its own key and spreads them over conversations, never to oneself', () => {
    const messages = Array.from({ length: 300 }, (_, seq) => streamMessage('r1', seq, 12));
    expect(new Set(messages.map((m) => m.key)).size).toBe(300);
    expect(messages.every((m) => m.request.fromUser !== m.request.toUser)).toBe(true);
    expect(new Set(messages.map((m) => [m.request.fromUser, m.request.toUser].sort().join(':'))).size).toBeGreaterThan(20);
    expect(messages[5]).toEqual({ key: 'r1-5', request: { fromUser: 'chaos-u5', toUser: 'chaos-u6', content: 'chaos r1 message 5' } });
  });
});

describe('dueCount', () => {
  it('starts one message at once, then rate per second', () => {
    expect(dueCount(0, 25)).toBe(1);
    expect(dueCount(39, 25)).toBe(1);
    expect(dueCount(40, 25)).toBe(2);
    expect(dueCount(10_000, 25)).toBe(251);
  });
});

describe('MessageStream', () => {
  it('keeps the steady rate and adds bursts on top, every message with its own key', async () => {
    const keys: string[] = [];
    const client = {
      send: async (seq: number, key: string) => {
        keys.push(key);
        return { seq, key, firstAttemptAt: 0, ackedAt: 1, attempts: 1, status: 'acknowledged' as const, lastProblem: undefined };
      },
    } as unknown as RetryingClient;
    const stream = new MessageStream(client, { rate: 100, runId: 'r', tickMs: 5 });
    stream.start();
    stream.burst(30);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const outcomes = await stream.stop();
    expect(outcomes.length).toBe(stream.sent);
    // ~21 steady messages in 200 ms at 100/s, plus the burst
    expect(outcomes.length).toBeGreaterThanOrEqual(30 + 15);
    expect(outcomes.length).toBeLessThanOrEqual(30 + 30);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
