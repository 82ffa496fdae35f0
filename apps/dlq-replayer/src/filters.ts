import { InvalidArgumentError } from 'commander';
import type { DeadLetter } from './dead-letter';

/** Which dead letters a command acts on; every field given must match. */
export interface DeadLetterFilter {
  errorClasses?: readonly string[];
  reasons?: readonly string[];
  /** on the time it was dead-lettered, ms since epoch, inclusive */
  since?: number;
  /** exclusive */
  until?: number;
  partitions?: readonly number[];
}

export function matches(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.errorClasses !== undefined && !filter.errorClasses.includes(letter.errorClass ?? '')) return false;
  if (filter.reasons !== undefined && !filter.reasons.includes(letter.reason ?? '')) return false;
  if (filter.since !== undefined && letter.timestamp < filter.since) return false;
  if (filter.until !== undefined && letter.timestamp >= filter.until) return false;
  if (filter.partitions !== undefined && !filter.partitions.includes(letter.partition)) return false;
  return true;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A point in time: an ISO-8601 date or date-time ("2025-11-23", "2025-11-23T14:00:00Z"), or a
 * duration before `now` ("90s", "30m", "2h", "7d", "1w").
 */
export function parseTime(input: string, now: number = Date.now()): number {
  const relative = /^(\d+)([smhdw])$/.exec(input.trim());
  if (relative !== null) return now - Number(relative[1]) * (UNIT_MS[relative[2] ?? 's'] ?? 1_000);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(input.trim())) {
    const parsed = Date.parse(input.trim());
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new InvalidArgumentError('expected an ISO-8601 time (2025-11-23T14:00:00Z) or a duration ago (30m, 2h, 7d)');
}

export function parseList(input: string): string[] {
  const items = input
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length === 0) throw new InvalidArgumentError('expected one or more comma-separated values');
  return items;
}

export function parsePartitions(input: string): number[] {
  return parseList(input).map((item) => {
    if (!/^\d+$/.test(item)) throw new InvalidArgumentError(`"${item}" is not a partition number`);
    return Number(item);
  });
}

export function parsePositiveInt(input: string): number {
  if (!/^\d+$/.test(input.trim()) || Number(input) < 1 || !Number.isSafeInteger(Number(input))) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return Number(input);
}

/** Records per second, e.g. "50", "0.5", "10/s". */
export function parseRate(input: string): number {
  const match = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(input.trim());
  const rate = match === null ? NaN : Number(match[1]);
  if (!Number.isFinite(rate) || rate <= 0) throw new InvalidArgumentError('expected records per second above 0, e.g. 50 or 0.5');
  return rate;
}

/** "<partition>:<offset>" */
export function parseCoordinates(input: string): { partition: number; offset: string } {
  const match = /^(\d+):(\d+)$/.exec(input.trim());
  if (match === null || match[1] === undefined || match[2] === undefined) {
    throw new InvalidArgumentError('expected <partition>:<offset>, e.g. 1:42');
  }
  return { partition: Number(match[1]), offset: BigInt(match[2]).toString() };
}
