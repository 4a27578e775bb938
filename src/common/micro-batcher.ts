/**
 * Collects single requests for a few milliseconds and hands them to one batch handler, so that N concurrent
 * attempts cost one database round trip (and one commit) instead of N. Each caller gets its own result.
 *
 * `maxConcurrent` bounds the batches in the handler at once: while that many run, new requests gather, and the
 * next batch (up to maxItems) starts when one ends. Under load the batches grow instead of the connections used.
 */
export class MicroBatcher<In, Out> {
  private pending: { item: In; resolve: (out: Out) => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;

  constructor(
    private readonly handler: (items: In[]) => Promise<Out[]>,
    private readonly opts: { maxItems: number; maxWaitMs: number; maxConcurrent?: number },
  ) {}

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.opts.maxItems) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.opts.maxWaitMs);
    });
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0 || this.inFlight >= (this.opts.maxConcurrent ?? Infinity)) return;
    const batch = this.pending.splice(0, this.opts.maxItems);
    this.inFlight += 1;
    this.handler(batch.map((b) => b.item))
      .then(
        (outs) => batch.forEach((b, i) => b.resolve(outs[i])),
        (error: unknown) => batch.forEach((b) => b.reject(error)),
      )
      .finally(() => {
        this.inFlight -= 1;
        // What gathered meanwhile goes now if it is a full batch or its timer already fired; else the timer sends it.
        if (this.pending.length >= this.opts.maxItems || (this.pending.length > 0 && this.timer === null)) {
          this.flush();
        }
      });
  }
}
