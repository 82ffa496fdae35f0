export interface RememberedSend {
  fingerprint: string;
  messageId: string;
  conversationId: string;
  timestamp: number;
}

/**
 * The answers to recent keyed sends, so a retry to the same instance gets the identical
 * answer without producing again. Bounded (least recently used out) and per instance: across
 * instances the deterministic messageId still keeps the store free of duplicates.
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, RememberedSend>();

  constructor(private readonly capacity = 10_000) {}

  get(key: string): RememberedSend | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, value: RememberedSend): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
