import { currentCorrelationId } from '@wiber/observability';
import { RegistryUnavailableError, type ChatMessage } from '@wiber/schema';
import { correlationIdOf, decodeRecords } from './record-decoding';
import { chatMessage, jsonDecoder, kafkaRecord } from './testing/fixtures';

const where = { topic: 'wiber.messages', partition: 2 };

describe('decodeRecords', () => {
  it('maps good records to documents and sets bad ones aside with their coordinates and reason', async () => {
    const good = chatMessage();
    const records = [
      kafkaRecord(10, good),
      kafkaRecord(11, Buffer.from([0xff, 1, 2, 3, 4, 5])),
      kafkaRecord(12, chatMessage({ content: '' })),
      kafkaRecord(13, null),
      kafkaRecord(14, chatMessage({ conversationId: 'bob:alice' })),
    ];
    const { storable, unprocessable } = await decodeRecords(records, where, jsonDecoder);
    expect(storable.map((r) => [r.document.messageId, r.document.kafka, r.correlationId])).toEqual([
      [good.messageId, { topic: 'wiber.messages', partition: 2, offset: '10' }, 'corr-10'],
    ]);
    expect(unprocessable.map((r) => [r.source.offset, r.reason, r.errorClass, r.correlationId])).toEqual([
      ['11', 'bad-magic-byte', 'UndecodableValueError', 'corr-11'],
      ['12', 'invalid-message', 'ValidationError', 'corr-12'],
      ['13', 'missing-value', 'MissingValue', 'corr-13'],
      ['14', 'invalid-message', 'ValidationError', 'corr-14'],
    ]);
    expect(unprocessable[0]?.value).toEqual(records[1]?.value);
  });

  it('throws when the registry is unavailable, so the caller retries instead of skipping good records', async () => {
    const down = async (): Promise<ChatMessage> => {
      throw new RegistryUnavailableError('registry unreachable');
    };
    await expect(decodeRecords([kafkaRecord(1, chatMessage())], where, down)).rejects.toThrow(RegistryUnavailableError);
  });

  it('skips a value whose decoding fails in an unexpected way', async () => {
    const broken = async (): Promise<ChatMessage> => {
      throw new TypeError('schema is not Avro');
    };
    const { unprocessable } = await decodeRecords([kafkaRecord(1, chatMessage())], where, broken);
    expect(unprocessable.map((r) => [r.reason, r.errorClass])).toEqual([['decode-failed', 'TypeError']]);
  });

  it('decodes with the record\'s correlation id as the current one, so decoder logs carry it', async () => {
    const seen: Array<string | undefined> = [];
    const spy = async (value: Buffer): Promise<ChatMessage> => {
      seen.push(currentCorrelationId());
      return jsonDecoder(value);
    };
    await decodeRecords([kafkaRecord(1, chatMessage(), 'req-abc')], where, spy);
    expect(seen).toEqual(['req-abc']);
  });

  it('reads the correlation header whether it is a buffer, a string or repeated', () => {
    expect(correlationIdOf(kafkaRecord(1, null))).toBe('corr-1');
    expect(correlationIdOf(kafkaRecord(1, null, '', { 'x-correlation-id': 'plain' }))).toBe('plain');
    expect(correlationIdOf(kafkaRecord(1, null, '', { 'x-correlation-id': ['first', 'second'] }))).toBe('first');
    expect(correlationIdOf(kafkaRecord(1, null, '', {}))).toBeUndefined();
    expect(correlationIdOf(kafkaRecord(1, null, '', { 'x-correlation-id': 'two words\n{"level":"error"}' }))).toBeUndefined();
  });
});
