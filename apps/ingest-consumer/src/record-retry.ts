import { backoffDelay, type BackoffPolicy } from './backoff';
import type { RecordFailure } from './failure-classification';

export interface FailedItem<T> {
  item: T;
  failure: RecordFailure;
}

/** What one attempt over a set of items did; undefined when the work was given up. */
export interface AttemptResult<T, R> {
  succeeded: R[];
  failed: FailedItem<T>[];
}

/** An item that failed for good, with its failure history (times in ms since epoch). */
export interface GivenUp<T> extends FailedItem<T> {
  attempts: number;
  firstFailureAt: number;
  lastFailureAt: number;
}

export interface RecordRetryOptions {
  /** how many more attempts an item with a record-transient failure gets */
  retries: number;
  policy: BackoffPolicy;
  /** waits `ms` (heartbeating); false when the work should be given up */
  pause: (ms: number) => Promise<boolean>;
  now: () => number;
  onRetry?: (items: number, retry: number, delayMs: number) => void;
  random?: () => number;
}

/**
 * Runs `attempt` over `items`, then again over only the items whose failure was
 * record-transient, after a backoff, at most `retries` more times. Returns everything that
 * succeeded and everything given up (permanent failures at once, transient ones once the
 * retries are spent), or undefined when the work was given up (shutdown, rebalance).
 */
export async function withRecordRetries<T, R>(
  items: readonly T[],
  attempt: (items: readonly T[]) => Promise<AttemptResult<T, R> | undefined>,
  options: RecordRetryOptions,
): Promise<{ succeeded: R[]; givenUp: GivenUp<T>[] } | undefined> {
  const history = new Map<T, { attempts: number; firstFailureAt: number }>();
  const succeeded: R[] = [];
  const givenUp: GivenUp<T>[] = [];
  let pending = items;
  for (let retry = 0; ; retry += 1) {
    const result = await attempt(pending);
    if (result === undefined) return undefined;
    succeeded.push(...result.succeeded);
    const now = options.now();
    const again: T[] = [];
    for (const { item, failure } of result.failed) {
      const past = history.get(item) ?? { attempts: 0, firstFailureAt: now };
      const attempts = past.attempts + 1;
      history.set(item, { attempts, firstFailureAt: past.firstFailureAt });
      if (failure.kind === 'record-transient' && retry < options.retries) again.push(item);
      else givenUp.push({ item, failure, attempts, firstFailureAt: past.firstFailureAt, lastFailureAt: now });
    }
    if (again.length === 0) return { succeeded, givenUp };
    const delay = backoffDelay(retry, options.policy, options.random);
    options.onRetry?.(again.length, retry + 1, delay);
    if (!(await options.pause(delay))) return undefined;
    pending = again;
  }
}
