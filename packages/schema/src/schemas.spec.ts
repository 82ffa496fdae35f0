import type { Schema } from 'avsc';
import { schemas } from './schemas';
import type { ChatMessage, MetricsSnapshot } from './types';

const message: ChatMessage = {
  messageId: '7d0f6c62-35b4-4c1b-9d0c-7a4f3f8e9a11',
  conversationId: 'alice:bob',
  fromUser: 'bob',
  toUser: 'alice',
  content: 'hi ✓',
  sentAt: 1_763_870_400_123,
  clientMessageId: null,
};

const snapshot: MetricsSnapshot = {
  leaderId: 'lm-1',
  epoch: 7,
  generatedAt: 1_763_870_400_000,
  windowSeconds: 60,
  messagesPerMinute: 12.5,
  messagesPerMinuteByPartition: [{ partition: 0, perMinute: 12.5 }],
  activeConversations: 3,
  activeUsers: 4,
  consumerLag: [{ group: 'wiber.ingest', topic: 'wiber.messages', partition: 0, lag: 2 }],
  dlqDepth: 0,
};

function fieldNames(definition: Schema): string[] {
  return (definition as { fields: { name: string }[] }).fields.map((f) => f.name).sort();
}

describe('Avro schemas and TypeScript types', () => {
  it('ChatMessage type has exactly the schema fields and round-trips', () => {
    const { definition, type } = schemas().chatMessage;
    expect(fieldNames(definition)).toEqual(Object.keys(message).sort());
    expect(type.isValid(message)).toBe(true);
    expect(type.fromBuffer(type.toBuffer(message))).toEqual(message);
    expect(type.isValid({ ...message, clientMessageId: 'c-1' })).toBe(true);
  });

  it('MetricsSnapshot type has exactly the schema fields and round-trips', () => {
    const { definition, type } = schemas().metricsSnapshot;
    expect(fieldNames(definition)).toEqual(Object.keys(snapshot).sort());
    expect(type.fromBuffer(type.toBuffer(snapshot))).toEqual(snapshot);
  });

  it('rejects values with missing or mistyped fields', () => {
    const { type } = schemas().chatMessage;
    const { content: _content, ...withoutContent } = message;
    expect(type.isValid(withoutContent)).toBe(false);
    expect(type.isValid({ ...message, sentAt: 'yesterday' })).toBe(false);
  });

  it('declares sentAt as timestamp-millis for other-language consumers', () => {
    const fields = (schemas().chatMessage.definition as { fields: { name: string; type: unknown }[] }).fields;
    expect(fields.find((f) => f.name === 'sentAt')?.type).toEqual({ type: 'long', logicalType: 'timestamp-millis' });
  });
});
