import type { Counter } from 'prom-client';
import type { Producer } from 'kafkajs';
import { ACKS_ALL, type LoggerLike } from '@wiber/kafka';
import { withCorrelationId } from '@wiber/observability';
import { deadLetterMessage, type DeadLetterContext } from './dead-letter';
import type { UnprocessableRecord, UnprocessableSink } from './unprocessable';

export interface DlqSinkOptions {
  producer: Pick<Producer, 'send'>;
  topic: string;
  context: DeadLetterContext;
  logger: LoggerLike;
  /** wiber_dlq_messages_total */
  deadLettered: Counter<'reason'>;
}

/**
 * Writes each unprocessable record to the dead-letter topic, one record per send with
 * acks=all, and returns only when all of them are acknowledged. One record per send because
 * a kafkajs send spanning several partitions can lose records when a leader dies mid-send
 * (kafkajs#1303). When a send fails, accept throws; the consumer retries it with the same
 * records, and those already acknowledged are not written again.
 */
export function createDlqSink(options: DlqSinkOptions): UnprocessableSink {
  const acknowledged = new WeakSet<UnprocessableRecord>();
  return {
    accept: async (records) => {
      for (const record of records) {
        if (acknowledged.has(record)) continue;
        const [metadata] = await options.producer.send({
          topic: options.topic,
          acks: ACKS_ALL,
          messages: [deadLetterMessage(record, options.context)],
        });
        acknowledged.add(record);
        options.deadLettered.inc({ reason: record.reason });
        const log = (): void => {
          options.logger.warn('dead-lettered a record that cannot be stored', {
            topic: record.source.topic,
            partition: record.source.partition,
            offset: record.source.offset,
            reason: record.reason,
            errorClass: record.errorClass,
            detail: record.detail,
            attempts: record.attempts,
            dlqTopic: options.topic,
            dlqPartition: metadata?.partition,
            dlqOffset: metadata?.baseOffset,
          });
        };
        if (record.correlationId === undefined) log();
        else withCorrelationId(record.correlationId, log);
      }
    },
  };
}
