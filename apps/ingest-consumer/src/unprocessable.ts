import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { DecodeFailureReason } from '@wiber/schema';
import type { KafkaCoordinates } from './chat-message-validation';
import type { GivenUp } from './record-retry';

/** Why a record can never be stored as it is; low-cardinality, used as a metric label. */
export type UnprocessableReason =
  | DecodeFailureReason
  | 'missing-value'
  | 'decode-failed'
  | 'invalid-message'
  | 'rejected-by-mongo';

export const UNPROCESSABLE_REASONS: readonly UnprocessableReason[] = [
  'truncated-header',
  'bad-magic-byte',
  'unknown-schema-id',
  'corrupt-payload',
  'missing-value',
  'decode-failed',
  'invalid-message',
  'rejected-by-mongo',
];

/** A record the consumer gives up on: everything a dead-letter queue needs to keep it and explain it. */
export interface UnprocessableRecord {
  source: KafkaCoordinates;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** Kafka record timestamp, ms since epoch as a string */
  timestamp: string;
  correlationId: string | undefined;
  reason: UnprocessableReason;
  /** the error class behind it (UndecodableValueError, ValidationError, MongoWriteError...) */
  errorClass: string;
  detail: string;
  stack: string | undefined;
  /** attempts made before giving up (1 for a permanent failure) */
  attempts: number;
  /** ms since epoch */
  firstFailureAt: number;
  lastFailureAt: number;
}

/**
 * Where unprocessable records go before their offsets are committed. The consumer awaits
 * `accept` and retries it with backoff when it throws, so a sink that writes somewhere
 * durable (the DLQ topic) keeps the at-least-once guarantee: nothing is committed past a
 * record the sink did not take.
 */
export interface UnprocessableSink {
  accept(records: readonly UnprocessableRecord[]): Promise<void>;
}

export function unprocessableRecord(
  message: KafkaMessage,
  source: KafkaCoordinates,
  correlationId: string | undefined,
  givenUp: Omit<GivenUp<unknown>, 'item'>,
): UnprocessableRecord {
  return {
    source,
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
    timestamp: message.timestamp,
    correlationId,
    reason: givenUp.failure.reason,
    errorClass: givenUp.failure.errorClass,
    detail: givenUp.failure.message,
    stack: givenUp.failure.stack,
    attempts: givenUp.attempts,
    firstFailureAt: givenUp.firstFailureAt,
    lastFailureAt: givenUp.lastFailureAt,
  };
}
