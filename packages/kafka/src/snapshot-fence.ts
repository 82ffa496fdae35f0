import type { MetricsSnapshot } from '@wiber/schema';

/**
 * The epoch rule of `wiber.metrics`: a snapshot whose epoch is lower than the highest epoch
 * already seen comes from a leader that has since been replaced, and is ignored. Equal epochs
 * are the same reign (one leader per consumer-group generation), so they are accepted.
 */
export function acceptSnapshot(highestEpoch: number | undefined, snapshot: Pick<MetricsSnapshot, 'epoch'>): boolean {
  return highestEpoch === undefined || snapshot.epoch >= highestEpoch;
}

export type SnapshotVerdict = 'accepted' | 'stale-epoch' | 'epoch-reset';

/** What a reader has seen so far: the highest epoch and the snapshot it accepted last. */
export interface SnapshotFence {
  highestEpoch: number;
  latest: MetricsSnapshot;
}

export interface SnapshotJudgement {
  verdict: SnapshotVerdict;
  fence: SnapshotFence;
}

/** Default for judgeSnapshot's epochResetAfterMs: far longer than any leader's publishing interval. */
export const DEFAULT_EPOCH_RESET_AFTER_MS = 120_000;

/**
 * Applies the epoch rule, with one escape hatch: generation ids restart at 1 when the election
 * group is deleted (by an operator, or by the coordinator after every member has been gone
 * longer than the offsets retention). A lower epoch is therefore taken as a restart — not as a
 * stale leader — when it was generated more than `epochResetAfterMs` after the newest accepted
 * snapshot: a live leader of the highest epoch publishes far more often than that, so a
 * frozen former leader can never satisfy it while the real one is alive.
 */
export function judgeSnapshot(
  fence: SnapshotFence | undefined,
  snapshot: MetricsSnapshot,
  epochResetAfterMs: number = DEFAULT_EPOCH_RESET_AFTER_MS,
): SnapshotJudgement {
  if (fence === undefined || acceptSnapshot(fence.highestEpoch, snapshot)) {
    return { verdict: 'accepted', fence: { highestEpoch: snapshot.epoch, latest: snapshot } };
  }
  if (snapshot.generatedAt - fence.latest.generatedAt > epochResetAfterMs) {
    return { verdict: 'epoch-reset', fence: { highestEpoch: snapshot.epoch, latest: snapshot } };
  }
  return { verdict: 'stale-epoch', fence };
}
