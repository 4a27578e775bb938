import { Args, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { Permission, Principal } from '../auth/principal';
import { toTrackedJobModel } from '../tracked-jobs/tracked-job.model';
import { BulkDeleteInboundInput, BulkReprocessInboundInput } from './dto/bulk-inbound.input';
import { InboundEventFilter } from './dto/inbound-event-filter.input';
import { InboundEventOrder } from './dto/inbound-event-order.input';
import {
  BulkReprocessResult,
  DeleteInboundResult,
  InboundEvent,
  InboundEventConnection,
  InboundEventStats,
  ProcessInboundResult,
  toInboundEventModel,
} from './inbound-event.model';
import { InboundDeletion } from './inbound-deletion.service';
import { InboundEventQueries } from './inbound-event-queries.service';
import { InboundOperations } from './inbound-operations.service';

@Resolver(() => InboundEvent)
@RequirePermission(Permission.ManageWebhooks)
export class InboundEventsResolver {
  constructor(
    private readonly queries: InboundEventQueries,
    private readonly operations: InboundOperations,
    private readonly deletion: InboundDeletion,
  ) {}

  @Query(() => InboundEventConnection)
  async inboundEvents(
    @CurrentPrincipal() principal: Principal,
    @Args('filter') filter: InboundEventFilter,
    @Args('orderBy', { type: () => InboundEventOrder, nullable: true }) orderBy?: InboundEventOrder,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<InboundEventConnection> {
    const page = await this.queries.list(principal.tenantId, filter, { orderBy, first, after });
    return {
      ...page,
      edges: page.edges.map((edge) => ({ node: toInboundEventModel(edge.node), cursor: edge.cursor })),
    };
  }

  @Query(() => InboundEvent, { nullable: true })
  async inboundEvent(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<InboundEvent> {
    return toInboundEventModel(await this.queries.find(principal.tenantId, id));
  }

  @Query(() => InboundEventStats)
  async inboundEventStats(
    @CurrentPrincipal() principal: Principal,
    @Args('integrationId', { type: () => ID }) integrationId: string,
  ): Promise<InboundEventStats> {
    return this.queries.stats(principal.tenantId, integrationId);
  }

  @Mutation(() => ProcessInboundResult)
  async processPendingInboundEvents(
    @CurrentPrincipal() principal: Principal,
    @Args('integrationId', { type: () => ID }) integrationId: string,
    @Args('eventCode', { type: () => String, nullable: true }) eventCode?: string,
  ): Promise<ProcessInboundResult> {
    return this.operations.processPending(principal.tenantId, integrationId, eventCode);
  }

  @Mutation(() => ProcessInboundResult)
  async retryFailedInboundEvents(
    @CurrentPrincipal() principal: Principal,
    @Args('integrationId', { type: () => ID }) integrationId: string,
  ): Promise<ProcessInboundResult> {
    return this.operations.retryFailed(principal.tenantId, integrationId);
  }

  @Mutation(() => InboundEvent)
  async processInboundEvent(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<InboundEvent> {
    return toInboundEventModel(await this.operations.processOne(principal.tenantId, id));
  }

  @Mutation(() => InboundEvent)
  async reprocessInboundEvent(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<InboundEvent> {
    return toInboundEventModel(await this.operations.reprocess(principal.tenantId, id));
  }

  @Mutation(() => BulkReprocessResult)
  async bulkReprocessInboundEvents(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: BulkReprocessInboundInput,
  ): Promise<BulkReprocessResult> {
    const { affected, trackedJob } = await this.operations.bulkReprocess(principal, input);
    return { affected, trackedJob: trackedJob && toTrackedJobModel(trackedJob) };
  }

  @Mutation(() => DeleteInboundResult)
  async bulkDeleteInboundEvents(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: BulkDeleteInboundInput,
  ): Promise<DeleteInboundResult> {
    return this.deletion.bulkDelete(principal, input);
  }

  @Mutation(() => DeleteInboundResult)
  async deleteAllInboundEvents(
    @CurrentPrincipal() principal: Principal,
    @Args('integrationId', { type: () => ID }) integrationId: string,
    @Args('confirmation') confirmation: string,
    @Args('dryRun', {
      type: () => Boolean,
      defaultValue: false,
      description: 'Count what would be deleted, change nothing',
    })
    dryRun: boolean,
  ): Promise<DeleteInboundResult> {
    return this.deletion.deleteAll(principal, integrationId, confirmation, dryRun);
  }

  @Subscription(() => InboundEvent, {
    filter: (payload: { inboundEventUpdated: InboundEvent }, variables: { integrationId: string }) =>
      payload.inboundEventUpdated.integrationId === variables.integrationId,
  })
  async inboundEventUpdated(
    @CurrentPrincipal() principal: Principal,
    @Args('integrationId', { type: () => ID }) integrationId: string,
  ): Promise<AsyncIterator<InboundEvent>> {
    return this.queries.subscribe(principal.tenantId, integrationId);
  }
}
