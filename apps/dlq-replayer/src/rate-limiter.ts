import { setTimeout as sleep } from 'node:timers/promises';

/** Longest wait without a heartbeat, well inside the consumer's session timeout. */
const SLICE_MS = 1_000;

/**
 * Spaces sends at most `perSecond` apart (no bursts: the first goes at once, each next one
 * 1/perSecond later). Waits heartbeat the consumer group and end early on abort.
 */
export class RateLimiter {
  private nextAt = 0;

  constructor(
    private readonly perSecond: number | undefined,
    private readonly now: () => number = Date.now,
    private readonly pause: (ms: number) => Promise<unknown> = sleep,
  ) {}

  /** Resolves true when the next send may go, false when aborted first. */
  async wait(heartbeat: () => Promise<void>, signal: AbortSignal): Promise<boolean> {
    if (this.perSecond === undefined) return !signal.aborted;
    const at = Math.max(this.nextAt, this.now());
    this.nextAt = at + 1000 / this.perSecond;
    for (let remaining = at - this.now(); remaining > 0; remaining = at - this.now()) {
      if (signal.aborted) return false;
      await this.pause(Math.min(remaining, SLICE_MS));
      await heartbeat();
    }
    return !signal.aborted;
  }
}
