/**
 * Collects single requests for a few milliseconds and hands them to one batch handler, so that N concurrent
 * attempts cost one database round trip (and one commit) instead of N. Each caller gets its own result.
 */
export class MicroBatcher<In, Out> {
  private pending: { item: In; resolve: (out: Out) => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly handler: (items: In[]) => Promise<Out[]>,
    private readonly opts: { maxItems: number; maxWaitMs: number },
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
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.handler(batch.map((b) => b.item)).then(
      (outs) => batch.forEach((b, i) => b.resolve(outs[i])),
      (error: unknown) => batch.forEach((b) => b.reject(error)),
    );
  }
}
