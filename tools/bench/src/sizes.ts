/** Message sizes the bench compares: bytes of message content (ASCII, so characters = bytes). */
export const DEFAULT_SIZES = [100, 1024, 16 * 1024] as const;

/** Content lengths of one size: ±20 % around it, so payloads vary like real chat but stay that size on average. */
export function contentRange(size: number): [number, number] {
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`a size must be a whole number of bytes >= 1, got ${size}`);
  return [Math.max(1, Math.round(size * 0.8)), Math.max(1, Math.round(size * 1.2))];
}

/** "100 B", "1 KiB", "16 KiB", "1.5 KiB". */
export function sizeLabel(size: number): string {
  if (size < 1024) return `${size} B`;
  const kib = size / 1024;
  return `${Number.isInteger(kib) ? kib : kib.toFixed(1)} KiB`;
}

/** How many distinct payloads of this size fit a memory budget, between `min` and `max`. */
export function payloadCount(size: number, budgetBytes: number, max: number, min = 100): number {
  return Math.max(min, Math.min(max, Math.floor(budgetBytes / size)));
}

/**
 * Records per send of the bare producer: its configured batch, but no more bytes than the
 * gateway puts in one send (its PRODUCE_MAX_BATCH_BYTES, below the topic's max.message.bytes).
 */
export function ceilingBatchSize(batch: number, meanRecordBytes: number, maxBatchBytes: number): number {
  return Math.max(1, Math.min(batch, Math.floor(maxBatchBytes / Math.max(1, meanRecordBytes))));
}
