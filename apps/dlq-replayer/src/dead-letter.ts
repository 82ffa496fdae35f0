import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DEAD_LETTER_HEADERS as H } from '@wiber/kafka';

/** A record read from the DLQ, with its failure context taken from the wiber.dlq.* headers. */
export interface DeadLetter {
  /** coordinates in the DLQ topic */
  partition: number;
  offset: string;
  /** when it was dead-lettered (the DLQ record's timestamp), ms since epoch */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  source: { topic: string | undefined; partition: string | undefined; offset: string | undefined; timestamp: string | undefined };
  group: string | undefined;
  reason: string | undefined;
  errorClass: string | undefined;
  errorMessage: string | undefined;
  errorStack: string | undefined;
  attempts: string | undefined;
  firstFailure: string | undefined;
  lastFailure: string | undefined;
  service: string | undefined;
  instance: string | undefined;
  correlationId: string | undefined;
}

/** Every value of a header, as UTF-8 text (a header may repeat). */
export function headerValues(headers: IHeaders, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
}

export function headerText(headers: IHeaders, name: string): string | undefined {
  return headerValues(headers, name)[0];
}

export function toDeadLetter(partition: number, message: KafkaMessage): DeadLetter {
  const headers = message.headers ?? {};
  const text = (name: string): string | undefined => headerText(headers, name);
  return {
    partition,
    offset: message.offset,
    timestamp: Number(message.timestamp),
    key: message.key,
    value: message.value,
    headers,
    source: { topic: text(H.topic), partition: text(H.partition), offset: text(H.offset), timestamp: text(H.timestamp) },
    group: text(H.group),
    reason: text(H.reason),
    errorClass: text(H.errorClass),
    errorMessage: text(H.errorMessage),
    errorStack: text(H.errorStack),
    attempts: text(H.attempts),
    firstFailure: text(H.firstFailure),
    lastFailure: text(H.lastFailure),
    service: text(H.service),
    instance: text(H.instance),
    correlationId: text('x-correlation-id'),
  };
}

/** The key as text when it is printable UTF-8, else hex. */
export function printableBytes(bytes: Buffer | null): string {
  if (bytes === null) return '(null)';
  const text = bytes.toString('utf8');
  // U+FFFD: not valid UTF-8; control characters would garble a terminal
  // eslint-disable-next-line no-control-regex
  if (!text.includes('\uFFFD') && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) return text;
  return `hex:${bytes.toString('hex')}`;
}

/** What list --json prints per dead letter (no value bytes, no stack: see inspect). */
export interface DeadLetterSummary {
  partition: number;
  offset: string;
  deadLetteredAt: string;
  key: string;
  source: DeadLetter['source'];
  reason: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  attempts: number | null;
  firstFailure: string | null;
  lastFailure: string | null;
  group: string | null;
  service: string | null;
  instance: string | null;
  correlationId: string | null;
  valueBytes: number | null;
}

export function summarize(letter: DeadLetter): DeadLetterSummary {
  const attempts = letter.attempts === undefined ? null : Number(letter.attempts);
  return {
    partition: letter.partition,
    offset: letter.offset,
    deadLetteredAt: new Date(letter.timestamp).toISOString(),
    key: printableBytes(letter.key),
    source: letter.source,
    reason: letter.reason ?? null,
    errorClass: letter.errorClass ?? null,
    errorMessage: letter.errorMessage ?? null,
    attempts: attempts !== null && Number.isFinite(attempts) ? attempts : null,
    firstFailure: letter.firstFailure ?? null,
    lastFailure: letter.lastFailure ?? null,
    group: letter.group ?? null,
    service: letter.service ?? null,
    instance: letter.instance ?? null,
    correlationId: letter.correlationId ?? null,
    valueBytes: letter.value === null ? null : letter.value.length,
  };
}
