import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { systemPrincipal } from '../auth/principal';
import { PubSubService, Topic } from '../common/graphql/pubsub';
import { findUnstorableText } from '../common/graphql/storable-text';
import { EventPublisher } from '../deliveries/event-publisher.service';
import { EventTypesService } from '../event-types/event-types.service';
import { getProviderAdapter, type NormalisedEvent } from '../integrations/providers';
import { InboundEventEntity, InboundEventStatus } from './inbound-event.entity';
import { toInboundEventModel } from './inbound-event.model';

/** A PROCESSING row untouched this long belongs to a worker that died; it may be claimed again. */
export const STALE_PROCESSING_MS = 5 * 60_000;
const MAX_ERROR_LENGTH = 2000;

export type ProcessOutcome = InboundEventStatus.PROCESSED | InboundEventStatus.FAILED | InboundEventStatus.SKIPPED;

/** Why a body kept as text (inbound-receiver.service.ts) cannot be processed. */
function unstorablePayloadReason(jsonText: string): string {
  const found = findUnstorableText(JSON.parse(jsonText) as unknown, 'payload', () => true);
  const reason = found?.reason ?? 'cannot be stored as jsonb';
  return `payload ${reason}; the exact body is kept, but no event can be published from it`;
}

/**
 * Turns one stored inbound event into platform events. Safe to run twice: the row is claimed atomically
 * (PENDING → PROCESSING) and every published event carries an idempotency key derived from the inbound
 * event id, so reprocessing never publishes a second copy.
 */
@Injectable()
export class InboundProcessingService {
  private readonly logger = new Logger(InboundProcessingService.name);

  constructor(
    @InjectRepository(InboundEventEntity) private readonly events: Repository<InboundEventEntity>,
    private readonly publisher: EventPublisher,
    private readonly eventTypes: EventTypesService,
    private readonly pubsub: PubSubService,
  ) {}

  /** Processes the event if it is PENDING (or stale PROCESSING); returns the outcome, or null when it was not claimable. */
  async process(id: string): Promise<ProcessOutcome | null> {
    const event = await this.claim(id);
    if (!event) return null;
    await this.notify(event);
    try {
      if (event.jsonText !== null) throw new Error(unstorablePayloadReason(event.jsonText));
      const adapter = getProviderAdapter(event.provider);
      if (!adapter) throw new Error(`no adapter for provider "${event.provider}"`);
      const result = adapter.normalise(event.eventCode, event.jsonData);
      if (result.kind === 'skip')
        return await this.finish(event, {
          status: InboundEventStatus.SKIPPED,
          processedAt: new Date(),
          lastError: result.reason,
        });
      // Everything is validated before anything is published, so a bad payload publishes nothing.
      for (const normalised of result.events) await this.validate(event.tenantId, normalised);
      let producedEventId: string | null = null;
      for (const [index, normalised] of result.events.entries()) {
        const published = await this.publisher.publish(systemPrincipal(event.tenantId, 'inbound'), {
          eventType: normalised.eventType,
          payload: normalised.payload,
          channels: normalised.channels,
          orderingKey: normalised.orderingKey,
          idempotencyKey: `inbound:${event.id}:${index}`,
        });
        producedEventId ??= published.id;
      }
      return await this.finish(event, {
        status: InboundEventStatus.PROCESSED,
        processedAt: new Date(),
        producedEventId,
        lastError: null,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ msg: 'inbound event failed', inboundEventId: event.id, error: message });
      return this.finish(event, { status: InboundEventStatus.FAILED, lastError: message.slice(0, MAX_ERROR_LENGTH) });
    }
  }

  async notify(event: InboundEventEntity): Promise<void> {
    await this.pubsub.publish(Topic.InboundEventUpdated, event.tenantId, { ...toInboundEventModel(event) });
  }

  private async validate(tenantId: string, normalised: NormalisedEvent): Promise<void> {
    try {
      await this.eventTypes.validatePayload(tenantId, normalised.eventType, normalised.payload);
    } catch (error) {
      throw new Error(
        `${normalised.eventType} payload is invalid: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  private async claim(id: string): Promise<InboundEventEntity | null> {
    const claimed = await this.events
      .createQueryBuilder()
      .update()
      .set({ status: InboundEventStatus.PROCESSING, attempts: () => 'attempts + 1' })
      .where('id = :id', { id })
      .andWhere(
        `(status = :pending OR (status = :processing AND updated_at < now() - make_interval(secs => :staleSecs)))`,
        {
          pending: InboundEventStatus.PENDING,
          processing: InboundEventStatus.PROCESSING,
          staleSecs: STALE_PROCESSING_MS / 1000,
        },
      )
      .returning(['id'])
      .execute();
    if (!claimed.affected) return null;
    return this.events.findOneBy({ id });
  }

  private async finish(
    event: InboundEventEntity,
    changes: { status: ProcessOutcome; lastError: string | null; processedAt?: Date; producedEventId?: string | null },
  ): Promise<ProcessOutcome> {
    await this.events.update({ id: event.id, tenantId: event.tenantId }, changes);
    Object.assign(event, changes);
    await this.notify(event);
    return changes.status;
  }
}
