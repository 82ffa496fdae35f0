import type { StoredSummary } from './mongo-fixture';

/**
 * At-least-once, checked: for every partition, each offset below the committed one is stored.
 * Returns the offsets that were committed without being written (empty when none).
 */
export function committedButNotStored(committed: Map<number, number>, stored: StoredSummary): string[] {
  const missing: string[] = [];
  for (const [partition, next] of committed) {
    const offsets = stored.offsets.get(partition) ?? new Set<number>();
    for (let offset = 0; offset < next; offset += 1) {
      if (!offsets.has(offset)) missing.push(`${partition}@${offset}`);
    }
  }
  return missing;
}
