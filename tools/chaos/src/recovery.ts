import type { MessageTiming } from './counting';

/** The p-th percentile (0..100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * Send-to-stored latencies of the healthy baseline: messages tried and completed before `until`
 * (when the scenario began to act), so nothing the fault held up counts as normal.
 */
export function baselineLatencies(messages: readonly MessageTiming[], until: number): number[] {
  return messages
    .filter((m) => m.firstAttemptAt < until && m.completedAt !== undefined && m.completedAt < until)
    .map((m) => (m.completedAt as number) - m.firstAttemptAt);
}

/** A message is healthy when it was acknowledged and stored within this long: 3 x the baseline p99, at least `floorMs`. */
export function healthyBoundMs(baseline: readonly number[], floorMs: number): number {
  const p99 = percentile(baseline, 99);
  return Number.isFinite(p99) ? Math.max(floorMs, Math.round(3 * p99)) : floorMs;
}

/**
 * Time to recover, from `referenceAt` (fault end, or fault start for a kill): the stream is
 * recovered from the first message after which every message sent up to the end was
 * acknowledged and stored within `boundMs`; the answer is when the earliest of those was
 * acknowledged and stored, minus `referenceAt` (0 when nothing after the reference was slow
 * and that message completed at once). Undefined when the stream never got healthy again.
 */
export function recoveryMs(messages: readonly MessageTiming[], referenceAt: number, boundMs: number): number | undefined {
  const after = messages.filter((m) => m.firstAttemptAt >= referenceAt).sort((a, b) => a.firstAttemptAt - b.firstAttemptAt);
  let firstHealthy = after.length;
  for (let i = after.length - 1; i >= 0; i--) {
    const m = after[i] as MessageTiming;
    if (m.completedAt === undefined || m.completedAt - m.firstAttemptAt > boundMs) break;
    firstHealthy = i;
  }
  const tail = after.slice(firstHealthy);
  if (tail.length === 0) return undefined;
  const earliest = Math.min(...tail.map((m) => m.completedAt as number));
  return Math.max(0, earliest - referenceAt);
}
