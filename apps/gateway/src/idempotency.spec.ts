import { IdempotencyCache } from './idempotency-cache';
import { messageIdFor, requestFingerprint } from './message-identity';

describe('messageIdFor', () => {
  it('derives the same id for the same sender and key, and different ids otherwise', () => {
    expect(messageIdFor('alice', 'k-1')).toBe(messageIdFor('alice', 'k-1'));
    expect(messageIdFor('alice', 'k-1')).not.toBe(messageIdFor('bob', 'k-1'));
    expect(messageIdFor('alice', 'k-1')).not.toBe(messageIdFor('alice', 'k-2'));
    expect(messageIdFor('alice', 'k-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('makes a random v4 id without a key', () => {
    const a = messageIdFor('alice', undefined);
    expect(a).not.toBe(messageIdFor('alice', undefined));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  });
});

describe('requestFingerprint', () => {
  it('tells a different message from a retry', () => {
    expect(requestFingerprint('a', 'b', 'hi')).toBe(requestFingerprint('a', 'b', 'hi'));
    expect(requestFingerprint('a', 'b', 'hi')).not.toBe(requestFingerprint('a', 'b', 'hi!'));
    expect(requestFingerprint('a', 'bc', 'd')).not.toBe(requestFingerprint('a', 'b', 'cd'));
  });
});

describe('IdempotencyCache', () => {
  const entry = (id: string) => ({ fingerprint: 'f', messageId: id, conversationId: 'a:b', timestamp: 1 });

  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new IdempotencyCache(2);
    cache.set('a', entry('1'));
    cache.set('b', entry('2'));
    cache.get('a');
    cache.set('c', entry('3'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.messageId).toBe('1');
    expect(cache.get('c')?.messageId).toBe('3');
    expect(cache.size).toBe(2);
  });
});
