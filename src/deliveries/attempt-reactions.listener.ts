import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DisableCause } from '../endpoints/endpoint.events';
import { EndpointHealthTracker } from '../endpoints/endpoint-health-tracker.service';
import { isOperationalEventType, OperationalEventType } from '../event-types/platform-event-types';
import { Semaphore } from '../common/semaphore';
import { DeliveryStatus } from './delivery.entity';
import { AttemptRecorded, DeliveryEvent } from './delivery.events';
import { FanoutService } from './fanout.service';
import { deadLetteredPayload, endpointFailingPayload } from './operational-events';

const HEALTHY_CACHE_MS = 5_000;
/**
 * Reactions that write at once, per worker process (successes that write, 410 disables, and the publishes of a
 * dead letter or a FAILING transition; failures are batched by the health tracker under its own bound). Without a
 * bound, a backlog failing fast (two tenants' thousand dead endpoints) had every in-flight attempt waiting in the
 * pool's queue at once, about a hundred acquisitions, and an API request in the same process (APP_ROLE=all)
 * waited behind them for seconds. Over the bound they wait here, and the pool (20) keeps connections for the rest.
 */
export const REACTION_WRITE_CONCURRENCY = 4;

/** Shared by the reactions below: one bound for all of them. */
@Injectable()
export class ReactionWrites extends Semaphore {
  constructor() {
    super(REACTION_WRITE_CONCURRENCY);
  }
}

/**
 * The endpoint's health follows each recorded attempt: a success makes it HEALTHY, a 410 disables it, a failure
 * counts toward FAILING (announced as endpoint.failing) and DISABLED (announced by the endpoints module's own
 * EndpointDisabled event). Errors reach the emitter, which logs them; the attempt is recorded either way.
 */
@Injectable()
export class EndpointHealthReaction {
  /** Endpoints seen healthy lately: a success within HEALTHY_CACHE_MS writes nothing (the hot path). */
  private readonly knownHealthy = new Map<string, number>();

  constructor(
    private readonly health: EndpointHealthTracker,
    private readonly fanout: FanoutService,
    private readonly writes: ReactionWrites,
  ) {}

  @OnEvent(DeliveryEvent.AttemptRecorded)
  async onAttemptRecorded({ delivery, outcome, startedAt }: AttemptRecorded): Promise<void> {
    const endpointId = delivery.endpointId;
    if (outcome.status === DeliveryStatus.SUCCEEDED) {
      const seen = this.knownHealthy.get(endpointId);
      if (seen && Date.now() - seen < HEALTHY_CACHE_MS) return;
      await this.writes.run(() => this.health.recordSuccess(endpointId, startedAt));
      this.knownHealthy.set(endpointId, Date.now());
      return;
    }
    this.knownHealthy.delete(endpointId);
    if (outcome.gone) {
      await this.writes.run(() =>
        this.health.disable(endpointId, 'endpoint answered 410 Gone', DisableCause.GONE, outcome.error),
      );
      return;
    }
    // Not under `writes`: the tracker batches failures itself, and a bound here would cap its batches.
    const { endpoint, transition } = await this.health.recordFailure(endpointId, startedAt, outcome.error);
    if (transition === 'failing') {
      const payload = endpointFailingPayload(endpoint, outcome.error, startedAt);
      await this.writes.run(() =>
        this.fanout.publishOperational(delivery.tenantId, OperationalEventType.EndpointFailing, payload, endpointId),
      );
    }
  }
}

/** A business delivery that ran out of attempts is announced as delivery.dead_lettered (never one about itself). */
@Injectable()
export class DeadLetterAnnouncer {
  constructor(
    private readonly fanout: FanoutService,
    private readonly writes: ReactionWrites,
  ) {}

  @OnEvent(DeliveryEvent.AttemptRecorded)
  async onAttemptRecorded({ delivery, outcome, url }: AttemptRecorded): Promise<void> {
    if (outcome.status !== DeliveryStatus.DEAD_LETTER || isOperationalEventType(delivery.eventType)) return;
    const payload = deadLetteredPayload({
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      url,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      attempts: delivery.attemptCount,
      lastError: outcome.error,
      lastResponseStatus: outcome.responseStatus,
    });
    await this.writes.run(() =>
      this.fanout.publishOperational(
        delivery.tenantId,
        OperationalEventType.DeliveryDeadLettered,
        payload,
        delivery.endpointId,
      ),
    );
  }
}
