import type { CompiledFilter } from './filter';
import type { CompiledReducer } from './reducer';

/**
 * A small LRU of compiled configs keyed by config id, checked against a version (e.g. updatedAt)
 * so an edited config is rebuilt on its next use even if no one called invalidate.
 */
export class CompiledCache<T> {
  private readonly entries = new Map<string, { version: string; value: T }>();

  constructor(readonly maxEntries = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  /** A build that throws caches nothing, so the next call reports the same error. */
  get(key: string, version: string, build: () => T): T {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      if (entry.version === version) {
        this.entries.set(key, entry);
        return entry.value;
      }
    }
    const value = build();
    this.entries.set(key, { version, value });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return value;
  }

  invalidate(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

export class CompiledFilterCache extends CompiledCache<CompiledFilter> {}

export class CompiledReducerCache extends CompiledCache<CompiledReducer> {}
