import type { IHeaders, Message } from 'kafkajs';
import { DEAD_LETTER_HEADER_PREFIX, DEAD_LETTER_HEADERS as H } from '@wiber/kafka';
import type { UnprocessableRecord } from './unprocessable';

/** Who gave up on the record: written into every dead letter. */
export interface DeadLetterContext {
  groupId: string;
  service: string;
  instance: string;
}

export const MAX_ERROR_MESSAGE_CHARS = 1_000;
export const MAX_ERROR_STACK_CHARS = 4_000;

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = `… (truncated, ${text.length} chars in all)`;
  return text.slice(0, Math.max(0, max - note.length)) + note;
}

function isoTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

/**
 * The DLQ record for `record`: the original key and value bytes unchanged, the original
 * headers (less any stale wiber.dlq.* from an earlier failure) and the failure context.
 */
export function deadLetterMessage(record: UnprocessableRecord, context: DeadLetterContext): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (!name.startsWith(DEAD_LETTER_HEADER_PREFIX) && value !== undefined) headers[name] = value;
  }
  const message = truncate(record.detail, MAX_ERROR_MESSAGE_CHARS);
  // a failure found by a check rather than thrown has no frames: its "stack" is its first line
  const stack = truncate(record.stack ?? `${record.errorClass}: ${message}`, MAX_ERROR_STACK_CHARS);
  Object.assign(headers, {
    [H.topic]: record.source.topic,
    [H.partition]: String(record.source.partition),
    [H.offset]: record.source.offset,
    [H.timestamp]: isoTime(Number(record.timestamp)),
    [H.group]: context.groupId,
    [H.reason]: record.reason,
    [H.errorClass]: record.errorClass,
    [H.errorMessage]: message,
    [H.errorStack]: stack,
    [H.attempts]: String(record.attempts),
    [H.firstFailure]: isoTime(record.firstFailureAt),
    [H.lastFailure]: isoTime(record.lastFailureAt),
    [H.service]: context.service,
    [H.instance]: context.instance,
  });
  return { key: record.key, value: record.value, headers };
}
