import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DeliveryStatus } from './delivery.entity';
import { AttemptRecorded, DeliveryEvent } from './delivery.events';
import { DeliveryNotifier } from './delivery-notifier';
import { DeliveryQueue } from './deliveries.queue';
import { AttemptRecord, ClaimedRow, DeliveryStore } from './delivery-store';

/**
 * What follows an attempt, or a claim handed back: the store writes it, subscribers are told, the queue gets what
 * is due next (the retry, or the next delivery of its ordering lane), and AttemptRecorded is emitted.
 */
@Injectable()
export class AttemptRecorder {
  private readonly logger = new Logger(AttemptRecorder.name);

  constructor(
    private readonly store: DeliveryStore,
    private readonly queue: DeliveryQueue,
    private readonly notifier: DeliveryNotifier,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * Never throws: a result that cannot be written leaves the row IN_FLIGHT, and the reconciler retries it.
   * `superseded`: the lease ran out first and the delivery was handed back, so it is (or will be) sent again.
   */
  async record(record: AttemptRecord): Promise<'recorded' | 'superseded' | 'failed'> {
    const { claimed, outcome, startedAt } = record;
    try {
      const updated = await this.store.record(record);
      if (!updated) return 'superseded';
      await this.notifier.changed([updated]);
      if (outcome.status === DeliveryStatus.RETRYING) {
        const retry = {
          id: updated.id,
          tenantId: updated.tenantId,
          endpointId: updated.endpointId,
          attemptCount: updated.attemptCount,
        };
        await this.queue.enqueueLater(retry, outcome.retryInMs ?? 0); // retries due together share a job
      } else if (updated.orderingKey) {
        const next = await this.store.nextInLane(updated); // a final delivery unblocks the next one of its lane
        const { tenantId, endpointId } = updated;
        await this.queue.enqueueSafely(
          next.map((n) => ({ id: n.id, tenantId, endpointId, attemptCount: n.attempt_count })),
        );
      }
      // Health and operational events (attempt-reactions.listener.ts); awaited, so a shutdown waits for them too.
      await this.events.emitAsync(
        DeliveryEvent.AttemptRecorded,
        new AttemptRecorded(updated, outcome, claimed.url, startedAt),
      );
      return 'recorded';
    } catch (error) {
      // The row stays IN_FLIGHT until its lease ends; the reconciler then retries it.
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error({ msg: 'recording a delivery attempt failed', deliveryId: claimed.id, error: message });
      return 'failed';
    }
  }

  /** Adds the coalesced retries' jobs now (a shutdown does not wait for their window). */
  flush(): void {
    this.queue.flush();
  }

  /** Hands a claimed delivery back, as if never attempted, to be tried again after `delayMs`. */
  async giveBack(claimed: ClaimedRow, delayMs: number): Promise<void> {
    const back = await this.store.unclaim(claimed, delayMs);
    await this.notifier.changed(back);
    await Promise.all(
      back.map((d) =>
        this.queue.enqueueLater(
          { id: d.id, tenantId: d.tenantId, endpointId: d.endpointId, attemptCount: d.attemptCount },
          delayMs,
          true,
        ),
      ),
    );
  }
}
