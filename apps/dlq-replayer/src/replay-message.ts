import type { IHeaders, Message } from 'kafkajs';
import { DEAD_LETTER_HEADER_PREFIX, REPLAY_HEADER_PREFIX, REPLAY_HEADERS } from '@wiber/kafka';
import type { DeadLetter } from './dead-letter';

/**
 * The record to republish: the original key, value and headers, without the DLQ's failure
 * context (a new failure writes a new one), plus where it was replayed from and when.
 */
export function replayMessage(letter: DeadLetter, dlqTopic: string, now: Date): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(letter.headers)) {
    if (value === undefined || name.startsWith(DEAD_LETTER_HEADER_PREFIX) || name.startsWith(REPLAY_HEADER_PREFIX)) continue;
    headers[name] = value;
  }
  headers[REPLAY_HEADERS.dlqTopic] = dlqTopic;
  headers[REPLAY_HEADERS.dlqPartition] = String(letter.partition);
  headers[REPLAY_HEADERS.dlqOffset] = letter.offset;
  headers[REPLAY_HEADERS.time] = now.toISOString();
  return { key: letter.key, value: letter.value, headers };
}
