import { backoffDelay, type BackoffPolicy } from './backoff';

export interface CircuitBreakerOptions {
  policy: BackoffPolicy;
  /** consecutive failures after which the circuit counts as open */
  openAfter: number;
  onOpen?: (consecutiveFailures: number) => void;
  onClose?: () => void;
  random?: () => number;
}

/**
 * Shared by every partition of the process: one failed write pushes back the next attempt of
 * all of them (consumption pauses), and one success closes the circuit for all of them. While
 * open, the first attempt after the backoff is the probe; no state is needed beyond the
 * consecutive-failure count and the time of the next allowed attempt.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private nextAttemptAt = 0;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get isOpen(): boolean {
    return this.consecutiveFailures >= this.options.openAfter;
  }

  get failures(): number {
    return this.consecutiveFailures;
  }

  /** How long a caller must wait before its next attempt (0 when it may go now). */
  waitMs(now: number): number {
    return Math.max(0, this.nextAttemptAt - now);
  }

  /** Records a failed attempt and returns the backoff before the next one. */
  recordFailure(now: number): number {
    const wasOpen = this.isOpen;
    const delay = backoffDelay(this.consecutiveFailures, this.options.policy, this.options.random);
    this.consecutiveFailures += 1;
    this.nextAttemptAt = Math.max(this.nextAttemptAt, now + delay);
    if (!wasOpen && this.isOpen) this.options.onOpen?.(this.consecutiveFailures);
    return delay;
  }

  recordSuccess(): void {
    const wasOpen = this.isOpen;
    this.consecutiveFailures = 0;
    this.nextAttemptAt = 0;
    if (wasOpen) this.options.onClose?.();
  }
}
