/**
 * At most `limit` callers inside `run` at once; the rest wait in arrival order. Used where background work shares
 * the database pool with requests: work over the limit waits here, in memory, instead of in the pool's own queue,
 * so a request always finds the pool's other connections.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`semaphore limit must be a positive integer, got ${limit}`);
  }

  /** Callers inside `run` now. */
  get running(): number {
    return this.active;
  }

  /** Callers waiting for a turn. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next caller, so `active` never drops while someone waits.
      if (next) next();
      else this.active -= 1;
    }
  }
}
