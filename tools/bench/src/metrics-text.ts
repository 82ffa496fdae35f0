/** Sum of every sample of `name` (all label sets) in a Prometheus text exposition. */
export function sampleSum(exposition: string, name: string): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] === name) total += Number(match[3]);
  }
  return total;
}

export interface HistogramSnapshot {
  /** cumulative counts by upper bound, ascending, +Inf last */
  buckets: Array<{ le: number; count: number }>;
  sum: number;
  count: number;
}

/** A histogram's buckets, sum and count from a Prometheus text exposition (all label sets added up). */
export function readHistogram(exposition: string, name: string): HistogramSnapshot {
  const byBound = new Map<number, number>();
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}\s+(\S+)/.exec(line);
    if (match?.[1] !== `${name}_bucket`) continue;
    const le = /(?:^|,)le="([^"]+)"/.exec(match[2] ?? '')?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + Number(match[3]));
  }
  return {
    buckets: [...byBound].sort((a, b) => a[0] - b[0]).map(([le, count]) => ({ le, count })),
    sum: sampleSum(exposition, `${name}_sum`),
    count: sampleSum(exposition, `${name}_count`),
  };
}

/** What was observed between two snapshots of the same histogram. */
export function histogramDelta(before: HistogramSnapshot, after: HistogramSnapshot): HistogramSnapshot {
  const earlier = new Map(before.buckets.map((b) => [b.le, b.count]));
  return {
    buckets: after.buckets.map((b) => ({ le: b.le, count: b.count - (earlier.get(b.le) ?? 0) })),
    sum: after.sum - before.sum,
    count: after.count - before.count,
  };
}

/** The upper bound of the bucket holding the q-quantile (0 < q <= 1): the quantile is at most this. */
export function quantileUpperBound(histogram: HistogramSnapshot, q: number): number {
  if (histogram.count <= 0) return Number.NaN;
  const rank = Math.ceil(q * histogram.count);
  return histogram.buckets.find((b) => b.count >= rank)?.le ?? Number.NaN;
}
