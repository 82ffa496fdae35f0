import { decodeCursor, encodeCursor, InvalidCursorError } from './cursor';

describe('page cursors', () => {
  it('round-trip and are URL-safe', () => {
    const token = encodeCursor({ sentAt: 1_763_870_400_123, messageId: 'a/b+c' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token)).toEqual({ sentAt: 1_763_870_400_123, messageId: 'a/b+c' });
  });

  it.each(['', 'garbage', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1.5,"x"]').toString('base64url'), Buffer.from('[1,""]').toString('base64url')])(
    'rejects %p as an invalid cursor',
    (token) => {
      expect(() => decodeCursor(token)).toThrow(InvalidCursorError);
    },
  );
});
