import { conversationIdOf, USER_ID_PATTERN } from './conversation';

describe('conversationIdOf', () => {
  it('is the same for both directions', () => {
    expect(conversationIdOf('alice', 'bob')).toBe('alice:bob');
    expect(conversationIdOf('bob', 'alice')).toBe('alice:bob');
  });

  it('sorts by code unit, so case and digits give one stable order', () => {
    expect(conversationIdOf('bob', 'Bob')).toBe('Bob:bob');
    expect(conversationIdOf('user10', 'user9')).toBe('user10:user9');
  });
});

describe('USER_ID_PATTERN', () => {
  it.each(['alice', 'A.b-c_9', 'x'.repeat(64)])('accepts %p', (id) => expect(USER_ID_PATTERN.test(id)).toBe(true));
  it.each(['', 'x'.repeat(65), 'al ice', 'a:b', 'ümit', 'a/b'])('rejects %p', (id) => expect(USER_ID_PATTERN.test(id)).toBe(false));
});
