export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential backoff with "equal jitter": the delay before retry `attempt` (0-based) lies
 * between half and all of min(max, initial * 2^attempt). The lower half keeps retries from
 * ever becoming a busy loop; the random half keeps several instances from retrying in step.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
