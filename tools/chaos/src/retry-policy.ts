/** What the client does with one attempt's result. */
export type AttemptVerdict = 'acknowledged' | 'retry-same' | 'retry-elsewhere' | 'rejected';

export interface RetryPolicy {
  /** one POST gives up (and is retried) after this long; above the gateway's PRODUCE_TIMEOUT_MS */
  attemptTimeoutMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** a message not acknowledged this long after its first attempt is given up (counted as unacknowledged) */
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attemptTimeoutMs: 8_000, initialBackoffMs: 200, maxBackoffMs: 2_000, giveUpAfterMs: 120_000 };

/**
 * 202 is success. 503 (a dependency is down), 502/504 and 429 are retried on the same gateway;
 * 500 too (an unexpected failure may pass). Any other status is a definite answer and is not retried.
 */
export function verdictForStatus(status: number): AttemptVerdict {
  if (status === 202) return 'acknowledged';
  if (status === 429 || status >= 500) return 'retry-same';
  return 'rejected';
}

/** Timeouts and connection errors (refused, reset, closed mid-request) are retried on the next gateway. */
export function verdictForError(): AttemptVerdict {
  return 'retry-elsewhere';
}

/**
 * Exponential backoff with full jitter (`random` in [0, 1)), at least what Retry-After asks for
 * (seconds), never more than maxBackoffMs.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfterSeconds: number | undefined, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.max(0, attempt - 1));
  const jittered = policy.initialBackoffMs / 2 + random() * (ceiling - policy.initialBackoffMs / 2);
  const asked = retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) ? retryAfterSeconds * 1000 : 0;
  return Math.round(Math.min(policy.maxBackoffMs, Math.max(jittered, asked)));
}

/** Retry-After in seconds (the delta-seconds form only; an HTTP date is ignored). */
export function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}
