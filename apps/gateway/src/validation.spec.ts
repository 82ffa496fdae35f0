import { idempotencyKeyOf, IdempotencyKeyError, sendMessageProblems, userIdProblems } from './validation';

const LIMIT = 64 * 1024;
const valid = { fromUser: 'alice', toUser: 'bob', content: 'hi' };
const pointers = (body: unknown) => sendMessageProblems(body, LIMIT).map((p) => `${p.pointer} ${p.detail}`);

describe('sendMessageProblems', () => {
  it('accepts a valid message, with or without clientMessageId', () => {
    expect(sendMessageProblems(valid, LIMIT)).toEqual([]);
    expect(sendMessageProblems({ ...valid, clientMessageId: 'c-1' }, LIMIT)).toEqual([]);
  });

  it('names every missing field', () => {
    expect(pointers({})).toEqual(['/fromUser is required', '/toUser is required', '/content is required']);
  });

  it('rejects unknown fields', () => {
    expect(pointers({ ...valid, admin: true })).toEqual(['/admin is not an allowed field']);
  });

  it('rejects a body that is not an object', () => {
    expect(pointers([valid])).toEqual(['/ must be object']);
    expect(pointers('hello')).toEqual(['/ must be object']);
  });

  it.each(['', 'a b', 'x'.repeat(65), 'a/b', 'ünï'])('rejects the user id %p', (id) => {
    expect(pointers({ ...valid, fromUser: id })[0]).toMatch(/^\/fromUser /);
  });

  it('rejects wrong types', () => {
    expect(pointers({ ...valid, content: 42 })).toEqual(['/content must be string']);
  });

  it('rejects sending to oneself, empty and blank content', () => {
    expect(pointers({ ...valid, toUser: 'alice' })).toEqual(['/toUser must differ from fromUser (sending to oneself)']);
    expect(pointers({ ...valid, content: '' })).toEqual(['/content must not be empty']);
    expect(pointers({ ...valid, content: ' \n\t ' })).toEqual(['/content must not be blank']);
  });

  it('limits content by UTF-8 bytes, not characters', () => {
    const threeByteChars = `${'€'.repeat(Math.floor(LIMIT / 3))}${'a'.repeat(LIMIT % 3)}`; // exactly the limit
    expect(sendMessageProblems({ ...valid, content: threeByteChars }, LIMIT)).toEqual([]);
    expect(pointers({ ...valid, content: `${threeByteChars}x` })).toEqual([`/content is ${LIMIT + 1} bytes of UTF-8, more than the limit of ${LIMIT}`]);
  });

  it('rejects a clientMessageId with spaces or too long', () => {
    expect(pointers({ ...valid, clientMessageId: 'has space' })[0]).toMatch(/^\/clientMessageId must be 1 to 128/);
    expect(pointers({ ...valid, clientMessageId: 'k'.repeat(129) })[0]).toMatch(/^\/clientMessageId/);
  });
});

describe('userIdProblems', () => {
  it('names each invalid path parameter', () => {
    expect(userIdProblems({ user1: 'alice', user2: 'bob' })).toEqual([]);
    expect(userIdProblems({ user1: 'al ice', user2: 'bob' }).map((p) => p.pointer)).toEqual(['user1']);
  });
});

describe('idempotencyKeyOf', () => {
  it('takes the header or the body field', () => {
    expect(idempotencyKeyOf('k-1', valid)).toBe('k-1');
    expect(idempotencyKeyOf(undefined, { ...valid, clientMessageId: 'c-1' })).toBe('c-1');
    expect(idempotencyKeyOf('same', { ...valid, clientMessageId: 'same' })).toBe('same');
    expect(idempotencyKeyOf(undefined, valid)).toBeUndefined();
  });

  it('rejects a bad header and a header that contradicts the body', () => {
    expect(() => idempotencyKeyOf('with space', valid)).toThrow(IdempotencyKeyError);
    expect(() => idempotencyKeyOf('a', { ...valid, clientMessageId: 'b' })).toThrow(/differ/);
  });
});
