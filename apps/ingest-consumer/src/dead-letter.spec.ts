import { DEAD_LETTER_HEADERS } from '@wiber/kafka';
import { deadLetterMessage, MAX_ERROR_STACK_CHARS, truncate } from './dead-letter';
import type { UnprocessableRecord } from './unprocessable';

function record(overrides: Partial<UnprocessableRecord> = {}): UnprocessableRecord {
  return {
    source: { topic: 'wiber.messages', partition: 4, offset: '1234' },
    key: Buffer.from('alice:bob'),
    value: Buffer.from([0x01, 0x00, 0x00, 0x00, 0x01, 0xfe]),
    headers: { 'x-correlation-id': Buffer.from('req-1'), 'x-multi': [Buffer.from('a'), Buffer.from('b')] },
    timestamp: '1763870400000',
    correlationId: 'req-1',
    reason: 'bad-magic-byte',
    errorClass: 'UndecodableValueError',
    detail: 'value starts with magic byte 1, expected 0',
    stack: 'UndecodableValueError: value starts with magic byte 1, expected 0\n    at unframe (wire-format.ts:40:11)',
    attempts: 1,
    firstFailureAt: 1_763_870_401_000,
    lastFailureAt: 1_763_870_401_000,
    ...overrides,
  };
}

const context = { groupId: 'wiber.ingest', service: 'ingest-consumer', instance: 'host-a:42' };

describe('deadLetterMessage', () => {
  it('keeps key, value and original headers unchanged and adds the full failure context', () => {
    const original = record();
    const message = deadLetterMessage(original, context);
    expect(message.key).toBe(original.key);
    expect(message.value).toBe(original.value);
    expect(message.headers).toEqual({
      'x-correlation-id': Buffer.from('req-1'),
      'x-multi': [Buffer.from('a'), Buffer.from('b')],
      [DEAD_LETTER_HEADERS.topic]: 'wiber.messages',
      [DEAD_LETTER_HEADERS.partition]: '4',
      [DEAD_LETTER_HEADERS.offset]: '1234',
      [DEAD_LETTER_HEADERS.timestamp]: '2025-11-23T04:00:00.000Z',
      [DEAD_LETTER_HEADERS.group]: 'wiber.ingest',
      [DEAD_LETTER_HEADERS.reason]: 'bad-magic-byte',
      [DEAD_LETTER_HEADERS.errorClass]: 'UndecodableValueError',
      [DEAD_LETTER_HEADERS.errorMessage]: 'value starts with magic byte 1, expected 0',
      [DEAD_LETTER_HEADERS.errorStack]: original.stack,
      [DEAD_LETTER_HEADERS.attempts]: '1',
      [DEAD_LETTER_HEADERS.firstFailure]: '2025-11-23T04:00:01.000Z',
      [DEAD_LETTER_HEADERS.lastFailure]: '2025-11-23T04:00:01.000Z',
      [DEAD_LETTER_HEADERS.service]: 'ingest-consumer',
      [DEAD_LETTER_HEADERS.instance]: 'host-a:42',
    });
  });

  it('keeps a tombstone a tombstone (null value and key)', () => {
    const message = deadLetterMessage(record({ key: null, value: null, reason: 'missing-value' }), context);
    expect(message.key).toBeNull();
    expect(message.value).toBeNull();
  });

  it('replaces the context of an earlier failure (a replayed record that failed again), keeping other headers', () => {
    const replayedAgain = record({
      headers: { [DEAD_LETTER_HEADERS.attempts]: '4', [DEAD_LETTER_HEADERS.group]: 'old', 'wiber.replay.dlq-offset': '9' },
    });
    const headers = deadLetterMessage(replayedAgain, context).headers ?? {};
    expect(headers[DEAD_LETTER_HEADERS.attempts]).toBe('1');
    expect(headers[DEAD_LETTER_HEADERS.group]).toBe('wiber.ingest');
    expect(headers['wiber.replay.dlq-offset']).toBe('9');
  });

  it('truncates a long stack and writes the first line when a check (not an exception) failed', () => {
    const long = deadLetterMessage(record({ stack: 'x'.repeat(50_000) }), context).headers ?? {};
    const stack = String(long[DEAD_LETTER_HEADERS.errorStack]);
    expect(stack.length).toBe(MAX_ERROR_STACK_CHARS);
    expect(stack).toMatch(/… \(truncated, 50000 chars in all\)$/);
    const check = deadLetterMessage(record({ stack: undefined, errorClass: 'ValidationError', detail: 'content is empty' }), context).headers ?? {};
    expect(check[DEAD_LETTER_HEADERS.errorStack]).toBe('ValidationError: content is empty');
  });
});

describe('truncate', () => {
  it('leaves short text alone and cuts long text to exactly the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('y'.repeat(100), 60)).toHaveLength(60);
  });
});
