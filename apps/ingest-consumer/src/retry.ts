import type { CircuitBreaker } from './circuit-breaker';

export type RetryOutcome<T> = { completed: true; value: T } | { completed: false };

export interface RetryOptions {
  breaker: CircuitBreaker;
  /** false once the work should be given up (shutdown, rebalance) */
  shouldContinue: () => boolean;
  /** waits up to `ms`, returning false if it was interrupted because the work should be given up */
  pause: (ms: number) => Promise<boolean>;
  /** errors that are not worth retrying are rethrown at once */
  isRetryable?: (error: unknown) => boolean;
  onRetry?: (error: unknown, delayMs: number, consecutiveFailures: number) => void;
  now?: () => number;
}

/**
 * Runs `operation` until it succeeds, waiting between attempts as the shared breaker says.
 * Returns `{ completed: false }` (and never throws for a retryable error) when the caller
 * should give the work up: nothing it did may be treated as done.
 */
export async function retryWhileRunning<T>(operation: () => Promise<T>, options: RetryOptions): Promise<RetryOutcome<T>> {
  const now = options.now ?? Date.now;
  for (;;) {
    if (!options.shouldContinue()) return { completed: false };
    const wait = options.breaker.waitMs(now());
    if (wait > 0) {
      if (!(await options.pause(wait))) return { completed: false };
      continue;
    }
    try {
      const value = await operation();
      options.breaker.recordSuccess();
      return { completed: true, value };
    } catch (error) {
      if (options.isRetryable !== undefined && !options.isRetryable(error)) throw error;
      const delay = options.breaker.recordFailure(now());
      options.onRetry?.(error, delay, options.breaker.failures);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sleeps in short slices so a stop request (the signal) is noticed within one slice. */
export async function interruptibleSleep(ms: number, signal: AbortSignal, sliceMs = 250): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!signal.aborted) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return true;
    await sleep(Math.min(remaining, sliceMs));
  }
  return false;
}

/** Thrown by withTimeout: the operation may still complete later, which callers must tolerate. */
export class OperationTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`${what} was not acknowledged within ${timeoutMs} ms`);
    this.name = 'OperationTimeoutError';
  }
}

export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OperationTimeoutError(what, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
