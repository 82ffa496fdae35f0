/** One sample of the soak: when, consumer lag, RSS and error-log counts per app. */
export interface SoakSample {
  /** seconds since sending started */
  atS: number;
  /** records the ingest group has not committed yet (sum over partitions) */
  lag: number;
  /** resident memory per app, MiB */
  rssMiB: Record<string, number>;
  /** error-level log lines per app so far */
  errors: Record<string, number>;
  /** messages accepted (202) so far */
  accepted: number;
}

export interface LinearFit {
  slope: number;
  intercept: number;
}

/** Least-squares line through (x, y); slope 0 for fewer than two distinct x. */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  const n = Math.min(xs.length, ys.length);
  if (n === 0) return { slope: 0, intercept: Number.NaN };
  const meanX = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const meanY = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - meanX;
    sxy += dx * ((ys[i] as number) - meanY);
    sxx += dx * dx;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: meanY - slope * meanX };
}

/** Lag of a group on a topic: high watermark minus committed offset, per partition (no commit yet: from the low watermark). */
export function lagOf(ends: ReadonlyArray<{ partition: number; high: string; low: string }>, committed: ReadonlyArray<{ partition: number; offset: string }>): number {
  let lag = 0;
  for (const end of ends) {
    const commit = committed.find((c) => c.partition === end.partition)?.offset;
    const from = commit === undefined || Number(commit) < 0 ? Number(end.low) : Number(commit);
    lag += Math.max(0, Number(end.high) - from);
  }
  return lag;
}

/** Error-level lines among complete JSON log lines (one object per line, as the apps' logger writes). */
export function countErrorLines(stdout: string): number {
  let count = 0;
  const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
  for (const line of complete.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      if ((JSON.parse(line) as { level?: unknown }).level === 'error') count++;
    } catch {
      // not a JSON log line
    }
  }
  return count;
}

export interface MemoryVerdict {
  app: string;
  startMiB: number;
  /** median RSS of the first three samples after the warm-up */
  afterWarmupMiB: number;
  /** median RSS of the last three samples */
  endMiB: number;
  /** fitted over the samples after the warm-up */
  slopeMiBPerMin: number;
  flat: boolean;
}

/** Median of up to three values (the middle one; the mean of two). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Memory is flat when, after the warm-up, the RSS at the end (median of the last three
 * samples, so one garbage-collection peak does not decide) is at most `slackMiB` above the
 * start (median of the first three post-warm-up samples) AND the least-squares slope over the
 * post-warm-up samples is at most `maxSlopeMiBPerMin`.
 */
export function memoryVerdict(app: string, samples: readonly SoakSample[], warmupS: number, slackMiB: number, maxSlopeMiBPerMin: number): MemoryVerdict {
  const series = samples.filter((s) => s.rssMiB[app] !== undefined && Number.isFinite(s.rssMiB[app]));
  const after = series.filter((s) => s.atS >= warmupS);
  const used = after.length >= 2 ? after : series;
  const rss = used.map((s) => s.rssMiB[app] as number);
  const start = median(rss.slice(0, 3));
  const end = median(rss.slice(-3));
  const { slope } = linearFit(
    used.map((s) => s.atS / 60),
    rss,
  );
  return { app, startMiB: series[0]?.rssMiB[app] ?? Number.NaN, afterWarmupMiB: start, endMiB: end, slopeMiBPerMin: slope, flat: end <= start + slackMiB && slope <= maxSlopeMiBPerMin };
}

export interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

/** The lag stayed at or below `bound` in every sample (its trend, a least-squares slope, is reported beside). */
export function lagCheck(samples: readonly SoakSample[], bound: number): Check {
  const max = samples.reduce((m, s) => Math.max(m, s.lag), 0);
  const over = samples.filter((s) => s.lag > bound).length;
  const { slope } = linearFit(
    samples.map((s) => s.atS / 60),
    samples.map((s) => s.lag),
  );
  return {
    name: 'consumer lag bounded',
    passed: samples.length > 0 && over === 0,
    detail: `max ${max} records over ${samples.length} samples (bound ${bound})${over > 0 ? `; ${over} samples above it` : ''}; trend ${slope >= 0 ? '+' : ''}${slope.toFixed(0)} records/min`,
  };
}
