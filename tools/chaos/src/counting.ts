import type { SendOutcome } from './client';

/** One stored document, as much of it as the counts need. */
export interface StoredMessage {
  clientMessageId: string | null;
  messageId: string;
  /** when the ingest-consumer stored it (ms since epoch) */
  storedAt: number;
}

export interface Tally {
  /** messages the client started */
  sent: number;
  /** answered 202 (after retries) */
  acknowledged: number;
  /** never acknowledged although retried until the give-up time */
  unacknowledged: number;
  /** answered a definite 4xx (not retried) */
  rejected: number;
  /** distinct messages of the run found in Mongo */
  stored: number;
  /** acknowledged but not in Mongo */
  lost: number;
  /** extra copies: a message stored n times adds n - 1 */
  duplicates: number;
  /** a few keys of each problem, for the report */
  lostKeys: string[];
  duplicateKeys: string[];
}

const SAMPLE = 10;

/** Counts by Idempotency-Key (stored as clientMessageId): a message stored twice under two ids is a duplicate too. */
export function tally(outcomes: readonly SendOutcome[], stored: readonly StoredMessage[]): Tally {
  const copies = new Map<string, number>();
  for (const doc of stored) {
    if (doc.clientMessageId === null) continue;
    copies.set(doc.clientMessageId, (copies.get(doc.clientMessageId) ?? 0) + 1);
  }
  const sentKeys = new Set(outcomes.map((o) => o.key));
  const acknowledged = outcomes.filter((o) => o.status === 'acknowledged');
  const lostKeys = acknowledged.filter((o) => !copies.has(o.key)).map((o) => o.key);
  let storedCount = 0;
  let duplicates = 0;
  const duplicateKeys: string[] = [];
  for (const [key, count] of copies) {
    if (!sentKeys.has(key)) continue;
    storedCount++;
    if (count > 1) {
      duplicates += count - 1;
      duplicateKeys.push(key);
    }
  }
  return {
    sent: outcomes.length,
    acknowledged: acknowledged.length,
    unacknowledged: outcomes.filter((o) => o.status === 'unacknowledged').length,
    rejected: outcomes.filter((o) => o.status === 'rejected').length,
    stored: storedCount,
    lost: lostKeys.length,
    duplicates,
    lostKeys: lostKeys.slice(0, SAMPLE),
    duplicateKeys: duplicateKeys.slice(0, SAMPLE),
  };
}

/** Per message: when it was first tried and when it was both acknowledged and stored (undefined if never). */
export interface MessageTiming {
  firstAttemptAt: number;
  completedAt: number | undefined;
}

export function timings(outcomes: readonly SendOutcome[], stored: readonly StoredMessage[]): MessageTiming[] {
  const firstStored = new Map<string, number>();
  for (const doc of stored) {
    if (doc.clientMessageId === null) continue;
    const seen = firstStored.get(doc.clientMessageId);
    if (seen === undefined || doc.storedAt < seen) firstStored.set(doc.clientMessageId, doc.storedAt);
  }
  return outcomes.map((o) => {
    const storedAt = firstStored.get(o.key);
    const completedAt = o.ackedAt === undefined || storedAt === undefined ? undefined : Math.max(o.ackedAt, storedAt);
    return { firstAttemptAt: o.firstAttemptAt, completedAt };
  });
}
