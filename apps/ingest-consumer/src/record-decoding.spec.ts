import { currentCorrelationId } from '@wiber/observability';
import { RegistryUnavailableError, UndecodableValueError, type ChatMessage } from '@wiber/schema';
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
    const { succeeded, failed } = await decodeRecords(records, where, jsonDecoder);
    expect(succeeded.map((r) => [r.document.messageId, r.document.kafka, r.correlationId])).toEqual([
      [good.messageId, { topic: 'wiber.messages', partition: 2, offset: '10' }, 'corr-10'],
    ]);
    expect(failed.map((f) => [f.item.offset, f.failure.kind, f.failure.reason, f.failure.errorClass])).toEqual([
      ['11', 'permanent', 'bad-magic-byte', 'UndecodableValueError'],
      ['12', 'permanent', 'invalid-message', 'ValidationError'],
      ['13', 'permanent', 'missing-value', 'MissingValue'],
      ['14', 'permanent', 'invalid-message', 'ValidationError'],
    ]);
    expect(failed[0]?.item).toBe(records[1]);
    expect(failed[0]?.failure.stack).toMatch(/^UndecodableValueError: value starts with magic byte 255/);
    expect(failed[1]?.failure.message).toBe('content is empty');
  });

  it('throws when the registry is unavailable, so the caller retries instead of skipping good records', async () => {
    const down = async (): Promise<ChatMessage> => {
      throw new RegistryUnavailableError('registry unreachable');
    };
    await expect(decodeRecords([kafkaRecord(1, chatMessage())], where, down)).rejects.toThrow(RegistryUnavailableError);
  });

  it('treats a value whose decoding fails in an unexpected way as permanently undecodable', async () => {
    const broken = async (): Promise<ChatMessage> => {
      throw new TypeError('schema is not Avro');
    };
    const { failed } = await decodeRecords([kafkaRecord(1, chatMessage())], where, broken);
    expect(failed.map((f) => [f.failure.kind, f.failure.reason, f.failure.errorClass])).toEqual([['permanent', 'decode-failed', 'TypeError']]);
  });

  it('marks an unknown schema id as possibly transient, so it is retried before the DLQ', async () => {
    const unknown = async (): Promise<ChatMessage> => {
      throw new UndecodableValueError('unknown-schema-id', 'schema id 4242 is not in the registry', 4242);
    };
    const { failed } = await decodeRecords([kafkaRecord(1, chatMessage())], where, unknown);
    expect(failed.map((f) => [f.failure.kind, f.failure.reason])).toEqual([['record-transient', 'unknown-schema-id']]);
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
