import { Logger } from '@nestjs/common';

/**
 * Runs `work` every `intervalMs` on a plain timer (not a Bull repeatable job, which a flushed Redis would lose),
 * never two runs at once; `stop()` waits for a run in progress. Failures are logged, and the next tick tries again.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.work()
        .catch((error: unknown) =>
          this.logger.warn({
            msg: `${this.name} failed`,
            error: error instanceof Error ? error.message : String(error),
          }),
        )
        .finally(() => (this.running = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
