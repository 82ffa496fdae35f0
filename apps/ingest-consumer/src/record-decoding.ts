import type { KafkaMessage } from 'kafkajs';
import type { MessageDocument } from '@wiber/mongo';
import { acceptCorrelationId, CORRELATION_KAFKA_HEADER, withCorrelationId } from '@wiber/observability';
import type { ChatMessage } from '@wiber/schema';
import { chatMessageProblems, toMessageDocument } from './chat-message-validation';
import { classifyDecodeError, permanentFailure, type RecordFailure } from './failure-classification';
import type { AttemptResult } from './record-retry';

/** Turns a Kafka value into a ChatMessage (RegistryCodec.decode with the ChatMessage reader schema). */
export type ChatMessageDecoder = (value: Buffer) => Promise<ChatMessage>;

export interface StorableRecord {
  document: MessageDocument;
  message: KafkaMessage;
  correlationId: string | undefined;
}

export type DecodedRecords = AttemptResult<KafkaMessage, StorableRecord>;

/** The record's correlation id, if it has a well-formed one (the header is the producer's input: not trusted). */
export function correlationIdOf(message: KafkaMessage): string | undefined {
  const header = message.headers?.[CORRELATION_KAFKA_HEADER];
  const first = Array.isArray(header) ? header[0] : header;
  if (first === undefined) return undefined;
  const candidate = typeof first === 'string' ? first : first.toString('utf8');
  // acceptCorrelationId returns the candidate itself only when it is safe to log
  return acceptCorrelationId(candidate) === candidate ? candidate : undefined;
}

/**
 * Decodes and validates every record. Values that cannot be stored are returned as failed,
 * classified (see failure-classification); a registry outage is thrown
 * (RegistryUnavailableError) so the caller retries the whole set later rather than giving up
 * on records that are fine.
 */
export async function decodeRecords(
  messages: readonly KafkaMessage[],
  where: { topic: string; partition: number },
  decode: ChatMessageDecoder,
): Promise<DecodedRecords> {
  const succeeded: StorableRecord[] = [];
  const failed: DecodedRecords['failed'] = [];
  const storedAt = new Date();
  for (const message of messages) {
    const source = { topic: where.topic, partition: where.partition, offset: message.offset };
    const fail = (failure: RecordFailure): void => {
      failed.push({ item: message, failure });
    };
    if (message.value === null || message.value.length === 0) {
      fail(permanentFailure('missing-value', 'MissingValue', 'the record has no value (tombstone or empty)'));
      continue;
    }
    const correlationId = correlationIdOf(message);
    const value = message.value;
    let decoded: ChatMessage;
    try {
      decoded = await (correlationId === undefined ? decode(value) : withCorrelationId(correlationId, () => decode(value)));
    } catch (error) {
      fail(classifyDecodeError(error));
      continue;
    }
    const problems = chatMessageProblems(decoded);
    if (problems.length > 0) {
      fail(permanentFailure('invalid-message', 'ValidationError', problems.join('; ')));
      continue;
    }
    succeeded.push({ document: toMessageDocument(decoded, source, storedAt), message, correlationId });
  }
  return { succeeded, failed };
}
