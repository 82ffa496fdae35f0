import type { DeadLetterSummary } from './dead-letter';
import { ellipsize, formatTable } from './table';

const ERROR_WIDTH = 60;
const KEY_WIDTH = 24;

function time(iso: string | null): string {
  // second precision is enough to tell dead letters apart by eye; --json has the milliseconds
  return iso === null ? '-' : iso.replace(/\.\d{3}Z$/, 'Z');
}

export function dlqCoordinates(summary: Pick<DeadLetterSummary, 'partition' | 'offset'>): string {
  return `${summary.partition}:${summary.offset}`;
}

export function sourceCoordinates(summary: Pick<DeadLetterSummary, 'source'>): string {
  const { topic, partition, offset } = summary.source;
  return topic === undefined ? '-' : `${topic} ${partition ?? '?'}:${offset ?? '?'}`;
}

/** The table `list` prints. */
export function formatDeadLetterTable(summaries: readonly DeadLetterSummary[]): string {
  return formatTable(
    ['DLQ', 'DEAD-LETTERED', 'SOURCE', 'REASON', 'ERROR CLASS', 'ATTEMPTS', 'KEY', 'ERROR'],
    summaries.map((s) => [
      dlqCoordinates(s),
      time(s.deadLetteredAt),
      sourceCoordinates(s),
      s.reason ?? '-',
      s.errorClass ?? '-',
      s.attempts === null ? '-' : String(s.attempts),
      ellipsize(s.key, KEY_WIDTH),
      ellipsize(s.errorMessage ?? '-', ERROR_WIDTH),
    ]),
  );
}
