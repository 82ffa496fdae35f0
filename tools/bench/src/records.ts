import { keyPartitioner, TOPICS } from '@wiber/kafka';
import { schemas, type ChatMessage, type RegistryCodec } from '@wiber/schema';

/** A Kafka record exactly as the gateway writes it, with the partition the gateway picks. */
export interface BenchRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  partition: number;
  message: ChatMessage;
}

/** Avro-encodes messages with the registry's schema of wiber.messages (the gateway's bytes). */
export function toRecords(codec: RegistryCodec, messages: ChatMessage[], partitionCount: number): BenchRecord[] {
  const partitionOf = keyPartitioner(TOPICS.messages, partitionCount);
  return messages.map((message, i) => ({
    key: message.conversationId,
    value: codec.encode(TOPICS.messages, schemas().chatMessage, message),
    headers: { 'x-correlation-id': `bench-${i}` },
    partition: partitionOf(message.conversationId),
    message,
  }));
}

/** Records grouped by partition, keeping their order. */
export function byPartition<T extends { partition: number }>(records: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const record of records) {
    const group = groups.get(record.partition);
    if (group === undefined) groups.set(record.partition, [record]);
    else group.push(record);
  }
  return groups;
}
