export interface PartitionLeader {
  partitionId: number;
  leader: number;
}

/** The broker leading the most partitions (ties: the lowest id), with how many it leads. */
export function brokerLeadingMost(partitions: readonly PartitionLeader[]): { brokerId: number; partitions: number } {
  const counts = new Map<number, number>();
  for (const p of partitions) if (p.leader >= 0) counts.set(p.leader, (counts.get(p.leader) ?? 0) + 1);
  let best: { brokerId: number; partitions: number } | undefined;
  for (const [brokerId, count] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (best === undefined || count > best.partitions) best = { brokerId, partitions: count };
  }
  if (best === undefined) throw new Error('no partition has a leader');
  return best;
}

/** Value of the first series of `name` in a Prometheus text exposition (labels ignored). */
export function metricValue(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match !== null && match[1] === name) return Number(match[3]);
  }
  return undefined;
}

/** Sum of every series of `name` whose labels include `label` (e.g. 'result="duplicate"'). */
export function metricSum(text: string, name: string, label = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match !== null && match[1] === name && (match[2] ?? '').includes(label)) sum += Number(match[3]);
  }
  return sum;
}
