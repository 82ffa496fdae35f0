export interface RetryUntilOptions {
  signal: AbortSignal;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** errors that retrying cannot fix are thrown at once */
  isRetryable?: (error: unknown) => boolean;
  onRetry: (error: unknown, delayMs: number) => void;
}

/**
 * Runs `operation` until it succeeds, with exponential backoff and jitter, for dependencies that
 * may come up after the service (Kafka, the registry). Resolves `undefined` when aborted.
 */
export async function retryUntil<T>(operation: () => Promise<T>, options: RetryUntilOptions): Promise<{ value: T } | undefined> {
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 5_000;
  for (let attempt = 0; !options.signal.aborted; attempt += 1) {
    try {
      return { value: await operation() };
    } catch (error) {
      if (options.isRetryable !== undefined && !options.isRetryable(error)) throw error;
      const delayMs = Math.round(Math.min(max, initial * 2 ** attempt) * (0.5 + Math.random() / 2));
      options.onRetry(error, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
  return undefined;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
