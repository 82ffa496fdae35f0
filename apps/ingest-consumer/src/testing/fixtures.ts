import type { IHeaders, KafkaMessage } from 'kafkajs';
import { CORRELATION_KAFKA_HEADER } from '@wiber/observability';
import { conversationIdOf, UndecodableValueError, type ChatMessage } from '@wiber/schema';

/** Test data for unit specs (not imported by the app). */
export function chatMessage(overrides: Partial<ChatMessage> = {}): ChatMessage {
  const fromUser = overrides.fromUser ?? 'alice';
  const toUser = overrides.toUser ?? 'bob';
  return {
    messageId: `m-${Math.random().toString(36).slice(2)}`,
    conversationId: conversationIdOf(fromUser, toUser),
    fromUser,
    toUser,
    content: 'hello',
    sentAt: 1_763_870_400_000,
    clientMessageId: null,
    ...overrides,
  };
}

/** A record whose value is the JSON of `message` (decoded by `jsonDecoder`), or raw bytes. */
export function kafkaRecord(
  offset: number,
  value: ChatMessage | Buffer | null,
  correlationId = `corr-${offset}`,
  headers: IHeaders = { [CORRELATION_KAFKA_HEADER]: Buffer.from(correlationId) },
): KafkaMessage {
  return {
    key: Buffer.from('alice:bob'),
    value: value === null || Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value)),
    timestamp: '1763870400000',
    attributes: 0,
    offset: String(offset),
    headers,
  };
}

/** Stands in for the registry codec: JSON values decode, anything starting with 0xff has a bad magic byte. */
export async function jsonDecoder(value: Buffer): Promise<ChatMessage> {
  if (value[0] === 0xff) throw new UndecodableValueError('bad-magic-byte', 'value starts with magic byte 255, expected 0');
  return JSON.parse(value.toString('utf8')) as ChatMessage;
}
