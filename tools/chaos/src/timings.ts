/** How long each phase and fault lasts; FULL_TIMINGS for `npm run chaos`, SHORT_TIMINGS for the jest suite. */
export interface Timings {
  /** messages started per second */
  rate: number;
  /** the stream runs this long before the fault (the healthy latency baseline) */
  baselineMs: number;
  /** and this long after the fault ended, so recovery shows in the stream */
  afterMs: number;
  /** after the stream stopped: how long to wait for every acknowledged message to be stored */
  drainTimeoutMs: number;
  /** a message is given up (unacknowledged) this long after its first attempt */
  giveUpAfterMs: number;
  /** a message acknowledged and stored within max(this, 3 x baseline p99) counts as healthy */
  healthyFloorMs: number;
  brokerDownMs: number;
  brokerFrozenMs: number;
  /** the stream goes on this long after an ingest-consumer was killed (its partitions move after the session timeout) */
  ingestObserveMs: number;
  mongoDownMs: number;
  registryDownMs: number;
  gatewayObserveMs: number;
  leaderObserveMs: number;
  /** INGEST_SESSION_TIMEOUT_MS / LEADER_SESSION_TIMEOUT_MS for the apps; undefined: the app's default */
  ingestSessionTimeoutMs: number | undefined;
  leaderSessionTimeoutMs: number | undefined;
}

/** The issue's durations, with the apps' default session timeouts (ingest 30 s, leader-metrics 10 s). */
export const FULL_TIMINGS: Timings = {
  rate: 25,
  baselineMs: 5_000,
  afterMs: 15_000,
  drainTimeoutMs: 90_000,
  giveUpAfterMs: 120_000,
  healthyFloorMs: 2_500,
  brokerDownMs: 20_000,
  brokerFrozenMs: 30_000,
  ingestObserveMs: 45_000,
  mongoDownMs: 30_000,
  registryDownMs: 20_000,
  gatewayObserveMs: 10_000,
  leaderObserveMs: 20_000,
  ingestSessionTimeoutMs: undefined,
  leaderSessionTimeoutMs: undefined,
};

/** A few hundred messages and faults of 4-12 s; session timeouts at the broker's minimum (6 s). */
export const SHORT_TIMINGS: Timings = {
  rate: 10,
  baselineMs: 2_000,
  afterMs: 5_000,
  drainTimeoutMs: 40_000,
  giveUpAfterMs: 60_000,
  healthyFloorMs: 2_500,
  brokerDownMs: 5_000,
  brokerFrozenMs: 6_000,
  ingestObserveMs: 12_000,
  mongoDownMs: 6_000,
  registryDownMs: 6_000,
  gatewayObserveMs: 4_000,
  leaderObserveMs: 12_000,
  ingestSessionTimeoutMs: 6_000,
  leaderSessionTimeoutMs: 6_000,
};

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
