import { frame, unframe, UndecodableValueError } from './wire-format';

describe('Confluent wire format', () => {
  it('round-trips schema id and body', () => {
    const value = frame(258, Buffer.from([1, 2, 3]));
    expect([...value.subarray(0, 5)]).toEqual([0, 0, 0, 1, 2]);
    expect(unframe(value)).toEqual({ schemaId: 258, body: Buffer.from([1, 2, 3]) });
  });

  it.each([
    [Buffer.from([0, 0, 1]), 'truncated-header'],
    [Buffer.alloc(0), 'truncated-header'],
    [Buffer.from([1, 0, 0, 0, 1, 9]), 'bad-magic-byte'],
    [Buffer.from('{"json":true}'), 'bad-magic-byte'],
  ])('rejects %p as %s', (value, reason) => {
    expect(() => unframe(value)).toThrow(UndecodableValueError);
    try {
      unframe(value);
    } catch (error) {
      expect((error as UndecodableValueError).reason).toBe(reason);
    }
  });
});
