import { headerValues, printableBytes, summarize, toDeadLetter } from './dead-letter';

describe('toDeadLetter and summarize', () => {
  it('takes the failure context from the wiber.dlq.* headers', () => {
    const letter = toDeadLetter(2, {
      key: Buffer.from('alice:bob'),
      value: Buffer.from([0, 0, 0, 0, 1]),
      timestamp: '1763870400000',
      attributes: 0,
      offset: '17',
      headers: {
        'x-correlation-id': Buffer.from('req-9'),
        'wiber.dlq.topic': Buffer.from('wiber.messages'),
        'wiber.dlq.partition': Buffer.from('4'),
        'wiber.dlq.offset': Buffer.from('1234'),
        'wiber.dlq.reason': Buffer.from('corrupt-payload'),
        'wiber.dlq.error.class': Buffer.from('UndecodableValueError'),
        'wiber.dlq.attempts': Buffer.from('3'),
      },
    });
    expect(summarize(letter)).toMatchObject({
      partition: 2,
      offset: '17',
      deadLetteredAt: '2025-11-23T04:00:00.000Z',
      key: 'alice:bob',
      source: { topic: 'wiber.messages', partition: '4', offset: '1234', timestamp: undefined },
      reason: 'corrupt-payload',
      errorClass: 'UndecodableValueError',
      attempts: 3,
      correlationId: 'req-9',
      valueBytes: 5,
      errorMessage: null,
    });
  });

  it('reads repeated and string headers', () => {
    expect(headerValues({ a: [Buffer.from('1'), '2'], b: 'x' }, 'a')).toEqual(['1', '2']);
    expect(headerValues({ b: 'x' }, 'b')).toEqual(['x']);
    expect(headerValues({}, 'c')).toEqual([]);
  });
});

describe('printableBytes', () => {
  it('prints text as text, and binary or control characters as hex', () => {
    expect(printableBytes(Buffer.from('alice:bob'))).toBe('alice:bob');
    expect(printableBytes(Buffer.from('zoë'))).toBe('zoë');
    expect(printableBytes(Buffer.from([0xff, 0x00]))).toBe('hex:ff00');
    expect(printableBytes(Buffer.from('a\u001b[31m'))).toBe('hex:611b5b33316d');
    expect(printableBytes(null)).toBe('(null)');
  });
});
