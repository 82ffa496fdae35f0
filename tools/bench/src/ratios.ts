/** One "what fraction of its ceiling does this reach" figure of a run. */
export interface RatioEntry {
  what: string;
  value: number;
  ceiling: number;
}

/** value / ceiling, NaN when either is missing or the ceiling is not positive. */
export function ratioOf(value: number, ceiling: number): number {
  return ceiling > 0 && Number.isFinite(value) && Number.isFinite(ceiling) ? value / ceiling : Number.NaN;
}

/** The entry with the smallest ratio (ignoring undefined ratios); undefined when there is none. */
export function weakest(entries: readonly RatioEntry[]): (RatioEntry & { ratio: number }) | undefined {
  let best: (RatioEntry & { ratio: number }) | undefined;
  for (const entry of entries) {
    const ratio = ratioOf(entry.value, entry.ceiling);
    if (Number.isNaN(ratio)) continue;
    if (best === undefined || ratio < best.ratio) best = { ...entry, ratio };
  }
  return best;
}

/** "after / before" as "×1.8", or "–". */
export function factor(after: number, before: number): string {
  const f = ratioOf(after, before);
  return Number.isNaN(f) ? '–' : `×${f.toFixed(f < 10 ? 2 : 1)}`;
}
