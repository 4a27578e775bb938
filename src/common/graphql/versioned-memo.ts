/**
 * A short-lived, bounded memo of reads keyed by an object's version (e.g. delivery id + updatedAt + attemptCount),
 * shared by every operation of the process. One status change pushed to N subscribers then loads its attempts
 * once, not N times. A version never changes meaning, so a hit can only be stale by `ttlMs` of deletions.
 */
export class VersionedMemo<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > at) return hit.value;
    if (hit) this.entries.delete(key);
    this.evict(at);
    const value = load();
    this.entries.set(key, { value, expires: at + this.ttlMs });
    value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key)); // a failed read is not remembered
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops expired entries from the oldest end, then the oldest while full (insertion order is age order). */
  private evict(at: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expires > at && this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
