/**
 * Header names of a dead letter on `wiber.messages.dlq` (written by the ingest-consumer) and of
 * a record republished from it (written by the dlq-replayer). They mirror Kafka Connect's
 * `errors.deadletterqueue.context.headers`. Every value is a UTF-8 string; times are ISO-8601 UTC.
 */
export const DEAD_LETTER_HEADER_PREFIX = 'wiber.dlq.';

export const DEAD_LETTER_HEADERS = {
  /** source topic, partition, offset and record timestamp of the record that failed */
  topic: 'wiber.dlq.topic',
  partition: 'wiber.dlq.partition',
  offset: 'wiber.dlq.offset',
  timestamp: 'wiber.dlq.timestamp',
  /** consumer group that gave up on it */
  group: 'wiber.dlq.group',
  /** low-cardinality reason (the `reason` label of wiber_dlq_messages_total) */
  reason: 'wiber.dlq.reason',
  errorClass: 'wiber.dlq.error.class',
  errorMessage: 'wiber.dlq.error.message',
  /** truncated */
  errorStack: 'wiber.dlq.error.stack',
  /** how many times processing was attempted before giving up */
  attempts: 'wiber.dlq.attempts',
  firstFailure: 'wiber.dlq.first-failure',
  lastFailure: 'wiber.dlq.last-failure',
  service: 'wiber.dlq.service',
  instance: 'wiber.dlq.instance',
} as const;

export const REPLAY_HEADER_PREFIX = 'wiber.replay.';

export const REPLAY_HEADERS = {
  /** the dead letter this record was republished from */
  dlqTopic: 'wiber.replay.dlq-topic',
  dlqPartition: 'wiber.replay.dlq-partition',
  dlqOffset: 'wiber.replay.dlq-offset',
  /** when it was republished */
  time: 'wiber.replay.time',
} as const;
