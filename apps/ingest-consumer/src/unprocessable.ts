import type { IHeaders } from 'kafkajs';
import type { LoggerLike } from '@wiber/kafka';
import { withCorrelationId } from '@wiber/observability';
import type { DecodeFailureReason } from '@wiber/schema';
import type { KafkaCoordinates } from './chat-message-validation';

/** Why a record can never be stored as it is; low-cardinality, used as a metric label. */
export type UnprocessableReason =
  | DecodeFailureReason
  | 'missing-value'
  | 'decode-failed'
  | 'invalid-message'
  | 'rejected-by-mongo';

/** A record the consumer skips: everything a dead-letter queue needs to keep it and explain it. */
export interface UnprocessableRecord {
  source: KafkaCoordinates;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** Kafka record timestamp, ms since epoch as a string */
  timestamp: string;
  correlationId: string | undefined;
  reason: UnprocessableReason;
  /** the error class behind it (UndecodableValueError, ValidationError, MongoBulkWriteError...) */
  errorClass: string;
  detail: string;
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

/** For now: one warning per record, with its coordinates and reason (the DLQ issue replaces it). */
export function createLoggingSink(logger: LoggerLike): UnprocessableSink {
  return {
    accept: async (records) => {
      for (const record of records) {
        const log = (): void => {
          logger.warn('skipping a record that cannot be stored', {
            topic: record.source.topic,
            partition: record.source.partition,
            offset: record.source.offset,
            reason: record.reason,
            errorClass: record.errorClass,
            detail: record.detail,
          });
        };
        if (record.correlationId === undefined) log();
        else withCorrelationId(record.correlationId, log);
      }
    },
  };
}
