import {
  Args,
  Context,
  Extensions,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { ChannelScoped, CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { ALL_CHANNELS, channelScope, Permission, Principal } from '../auth/principal';
import type { GraphqlContext } from '../common/graphql/graphql-context';
import { RATE_LIMIT_ITEMS } from '../common/graphql/operation-points';
import { PubSubService, Topic } from '../common/graphql/pubsub';
import { VersionedMemo } from '../common/graphql/versioned-memo';
import { IdempotencyKeyHeader } from '../common/idempotency/idempotency-key.decorator';
import { TrackedJob, toTrackedJobModel } from '../tracked-jobs/tracked-job.model';
import { DeliveryQueries, matchesDeliverySubscription } from './delivery-queries.service';
import { DeliveryRecovery } from './delivery-recovery.service';
import { DeliveryStatistics } from './delivery-statistics.service';
import { EventPublisher } from './event-publisher.service';
import {
  Delivery,
  DeliveryAttempt,
  DeliveryConnection,
  DeliveryStats,
  Event,
  EventConnection,
  PurgeDeliveriesPayload,
  PushedDelivery,
  ResponseTimePoint,
  TimeBucket,
  toDeliveryAttemptModel,
  toDeliveryConnection,
  toDeliveryModel,
  toEventConnection,
  toEventModel,
  withPushedPayload,
} from './delivery.model';
import { DeliveryFilter, EventFilter } from './dto/delivery-filter.input';
import { PublishEventInput } from './dto/publish-event.input';

@Resolver(() => Delivery)
@RequirePermission(Permission.ManageWebhooks)
export class DeliveriesResolver {
  /** One status change pushed to N subscribers loads its attempts once: they share the read of that version. */
  private readonly attemptsOfVersion = new VersionedMemo<DeliveryAttempt[]>(5_000, 10_000);
  /** Whether one version of a delivery is in a channel scope, shared by the channel's subscribers of that push. */
  private readonly scopeOfVersion = new VersionedMemo<boolean>(1_000, 10_000);

  constructor(
    private readonly publisher: EventPublisher,
    private readonly recovery: DeliveryRecovery,
    private readonly queries: DeliveryQueries,
    private readonly statistics: DeliveryStatistics,
    private readonly pubsub: PubSubService,
  ) {}

  @Mutation(() => Event)
  async publishEvent(
    @CurrentPrincipal() p: Principal,
    @Args('input') input: PublishEventInput,
    @IdempotencyKeyHeader() key?: string,
  ): Promise<Event> {
    return toEventModel(await this.publisher.publish(p, input, key));
  }

  @Mutation(() => [Event], { description: 'Up to 100 events in one call, stored in one transaction' })
  @Extensions({ [RATE_LIMIT_ITEMS]: 'inputs' }) // one rate-limit point per event
  async publishEvents(
    @CurrentPrincipal() p: Principal,
    @Args('inputs', { type: () => [PublishEventInput] }) inputs: PublishEventInput[],
  ): Promise<Event[]> {
    return (await this.publisher.publishMany(p, inputs)).map(toEventModel);
  }

  @Mutation(() => Delivery)
  @ChannelScoped()
  async replayDelivery(
    @CurrentPrincipal() p: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Delivery> {
    return toDeliveryModel(await this.recovery.replay(p, id));
  }

  @Mutation(() => TrackedJob, {
    description: 'Replays every FAILED or DEAD_LETTER delivery of the endpoint since the given time, as a tracked job',
  })
  async recoverDeliveries(
    @CurrentPrincipal() p: Principal,
    @Args('endpointId', { type: () => ID }) endpointId: string,
    @Args('since') since: Date,
  ): Promise<TrackedJob> {
    return toTrackedJobModel(await this.recovery.startRecover(p, endpointId, since));
  }

  @Mutation(() => PurgeDeliveriesPayload)
  @ChannelScoped()
  async purgeDeliveries(
    @CurrentPrincipal() p: Principal,
    @Args('endpointId', { type: () => ID }) endpointId: string,
  ): Promise<PurgeDeliveriesPayload> {
    return { count: await this.recovery.purge(p, endpointId) };
  }

  @Mutation(() => Delivery)
  @ChannelScoped()
  async sendTestDelivery(
    @CurrentPrincipal() p: Principal,
    @Args('endpointId', { type: () => ID }) endpointId: string,
    @Args('eventType', { type: () => String, nullable: true }) eventType?: string | null,
  ): Promise<Delivery> {
    return toDeliveryModel(await this.publisher.sendTestDelivery(p, endpointId, eventType));
  }

  @Query(() => EventConnection)
  async events(
    @CurrentPrincipal() p: Principal,
    @Args('filter', { type: () => EventFilter, nullable: true }) filter?: EventFilter,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<EventConnection> {
    return toEventConnection(await this.queries.listEvents(p.tenantId, filter, { first, after }));
  }

  @Query(() => Event, { nullable: true })
  async event(@CurrentPrincipal() p: Principal, @Args('id', { type: () => ID }) id: string): Promise<Event> {
    return toEventModel(await this.queries.findEvent(p.tenantId, id));
  }

  @Query(() => DeliveryConnection)
  @ChannelScoped()
  async deliveries(
    @CurrentPrincipal() p: Principal,
    @Args('filter', { type: () => DeliveryFilter, nullable: true }) filter?: DeliveryFilter,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<DeliveryConnection> {
    return toDeliveryConnection(
      await this.queries.listDeliveries(p.tenantId, filter, { first, after }, channelScope(p)),
    );
  }

  @Query(() => Delivery, { nullable: true })
  @ChannelScoped()
  async delivery(@CurrentPrincipal() p: Principal, @Args('id', { type: () => ID }) id: string): Promise<Delivery> {
    return toDeliveryModel(await this.queries.findDelivery(p.tenantId, id, channelScope(p)));
  }

  @Query(() => DeliveryStats)
  @ChannelScoped()
  async deliveryStats(
    @CurrentPrincipal() p: Principal,
    @Args('endpointId', { type: () => ID, nullable: true }) endpointId?: string,
    @Args('since', { type: () => Date, nullable: true }) since?: Date,
    @Args('until', { type: () => Date, nullable: true }) until?: Date,
  ): Promise<DeliveryStats> {
    return this.statistics.stats(p.tenantId, endpointId, since, until, channelScope(p));
  }

  @Query(() => [ResponseTimePoint])
  @ChannelScoped()
  async responseTimeSeries(
    @CurrentPrincipal() p: Principal,
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('endpointId', { type: () => ID, nullable: true }) endpointId?: string,
    @Args('bucket', { type: () => TimeBucket, nullable: true }) bucket?: TimeBucket,
  ): Promise<ResponseTimePoint[]> {
    return this.statistics.responseTimeSeries(
      p.tenantId,
      endpointId,
      from,
      to,
      bucket ?? TimeBucket.HOUR,
      channelScope(p),
    );
  }

  /**
   * A channel-scoped subscriber gets a push only if the delivery's endpoint is in its channel at that moment. N
   * subscribers of one status change share one lookup (the memo is keyed by the delivery's version).
   */
  private async pushable(d: Delivery, ctx: GraphqlContext): Promise<boolean> {
    const channel = channelScope((ctx.req?.principal ?? ctx.principal ?? {}) as Principal);
    if (channel === ALL_CHANNELS) return true;
    const version = `${d.tenantId}\u0000${d.id}\u0000${new Date(d.updatedAt).getTime()}\u0000${d.attemptCount}`;
    return this.scopeOfVersion.get(`${version}\u0000${channel}`, () =>
      this.queries.inScope(d.tenantId, d.endpointId, channel),
    );
  }

  @ResolveField(() => [DeliveryAttempt])
  async attempts(@Parent() d: Delivery, @Context() ctx: GraphqlContext): Promise<DeliveryAttempt[]> {
    // Attempts are recorded in the statement that moves updated_at and attemptCount: the pair names the version.
    const version = `${d.tenantId}\u0000${d.id}\u0000${new Date(d.updatedAt).getTime()}\u0000${d.attemptCount}`;
    return this.attemptsOfVersion.get(version, async () =>
      (
        await ctx.loaders.load('delivery.attempts', d.tenantId, d.id, (tenantId, ids) =>
          this.queries.attemptsByDelivery(tenantId, ids),
        )
      ).map(toDeliveryAttemptModel),
    );
  }

  @Subscription(() => Delivery, {
    description: "Every status change of a delivery of the caller's tenant, optionally narrowed.",
    resolve: (payload: { deliveryUpdated: PushedDelivery }) => withPushedPayload(payload.deliveryUpdated),
    filter(
      this: DeliveriesResolver,
      payload: { deliveryUpdated: Delivery },
      args: { endpointId?: string; eventId?: string },
      ctx: GraphqlContext,
    ) {
      return matchesDeliverySubscription(payload.deliveryUpdated, args) && this.pushable(payload.deliveryUpdated, ctx);
    },
  })
  @ChannelScoped()
  async deliveryUpdated(
    @CurrentPrincipal() p: Principal,
    @Args('endpointId', { type: () => ID, nullable: true }) endpointId?: string,
    @Args('eventId', { type: () => ID, nullable: true }) eventId?: string,
  ): Promise<AsyncIterator<Delivery>> {
    await this.queries.assertSubscribable(p.tenantId, { endpointId, eventId }, channelScope(p));
    return this.pubsub.manyIterator<Delivery>(Topic.DeliveryUpdated, p.tenantId);
  }
}

@Resolver(() => Event)
@RequirePermission(Permission.ManageWebhooks)
export class EventFieldsResolver {
  constructor(private readonly queries: DeliveryQueries) {}

  @ResolveField(() => DeliveryConnection)
  async deliveries(
    @Parent() event: Event,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<DeliveryConnection> {
    return toDeliveryConnection(
      // Events are read by tenant-wide operations only (never @ChannelScoped): all of the event's deliveries.
      await this.queries.listDeliveries(event.tenantId, { eventId: event.id }, { first, after }, ALL_CHANNELS),
    );
  }
}
