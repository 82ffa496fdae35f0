import type { KafkaMessage } from 'kafkajs';
import type { MessageDocument } from '@wiber/mongo';
import { acceptCorrelationId, CORRELATION_KAFKA_HEADER, withCorrelationId } from '@wiber/observability';
import { RegistryUnavailableError, UndecodableValueError, type ChatMessage } from '@wiber/schema';
import { chatMessageProblems, toMessageDocument, type KafkaCoordinates } from './chat-message-validation';
import type { UnprocessableReason, UnprocessableRecord } from './unprocessable';

/** Turns a Kafka value into a ChatMessage (RegistryCodec.decode with the ChatMessage reader schema). */
export type ChatMessageDecoder = (value: Buffer) => Promise<ChatMessage>;

export interface StorableRecord {
  document: MessageDocument;
  message: KafkaMessage;
  correlationId: string | undefined;
}

export interface DecodedRecords {
  storable: StorableRecord[];
  unprocessable: UnprocessableRecord[];
}

/** The record's correlation id, if it has a well-formed one (the header is the producer's input: not trusted). */
export function correlationIdOf(message: KafkaMessage): string | undefined {
  const header = message.headers?.[CORRELATION_KAFKA_HEADER];
  const first = Array.isArray(header) ? header[0] : header;
  if (first === undefined) return undefined;
  const candidate = typeof first === 'string' ? first : first.toString('utf8');
  // acceptCorrelationId returns the candidate itself only when it is safe to log
  return acceptCorrelationId(candidate) === candidate ? candidate : undefined;
}

export function unprocessableRecord(
  message: KafkaMessage,
  source: KafkaCoordinates,
  reason: UnprocessableReason,
  errorClass: string,
  detail: string,
): UnprocessableRecord {
  return {
    source,
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
    timestamp: message.timestamp,
    correlationId: correlationIdOf(message),
    reason,
    errorClass,
    detail,
  };
}

/**
 * Decodes and validates every record. Values that can never be stored are returned as
 * unprocessable; a registry outage is thrown (RegistryUnavailableError) so the caller retries
 * the whole set later rather than skipping records that are fine.
 */
export async function decodeRecords(
  messages: readonly KafkaMessage[],
  where: { topic: string; partition: number },
  decode: ChatMessageDecoder,
): Promise<DecodedRecords> {
  const storable: StorableRecord[] = [];
  const unprocessable: UnprocessableRecord[] = [];
  const storedAt = new Date();
  for (const message of messages) {
    const source = { topic: where.topic, partition: where.partition, offset: message.offset };
    const skip = (reason: UnprocessableReason, errorClass: string, detail: string): void => {
      unprocessable.push(unprocessableRecord(message, source, reason, errorClass, detail));
    };
    if (message.value === null || message.value.length === 0) {
      skip('missing-value', 'MissingValue', 'the record has no value (tombstone or empty)');
      continue;
    }
    const correlationId = correlationIdOf(message);
    const value = message.value;
    let decoded: ChatMessage;
    try {
      decoded = await (correlationId === undefined ? decode(value) : withCorrelationId(correlationId, () => decode(value)));
    } catch (error) {
      if (error instanceof UndecodableValueError) {
        skip(error.reason, error.name, error.message);
        continue;
      }
      if (error instanceof RegistryUnavailableError) throw error;
      // any other decoding failure is specific to this value: skipping it keeps the partition moving
      skip('decode-failed', error instanceof Error ? error.name : 'Error', error instanceof Error ? error.message : String(error));
      continue;
    }
    const problems = chatMessageProblems(decoded);
    if (problems.length > 0) {
      skip('invalid-message', 'ValidationError', problems.join('; '));
      continue;
    }
    storable.push({ document: toMessageDocument(decoded, source, storedAt), message, correlationId });
  }
  return { storable, unprocessable };
}
