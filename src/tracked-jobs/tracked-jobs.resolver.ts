import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { Permission, Principal } from '../auth/principal';
import { PubSubService, Topic } from '../common/graphql/pubsub';
import { TrackedJob, toTrackedJobModel } from './tracked-job.model';
import { TrackedJobsService } from './tracked-jobs.service';

@Resolver(() => TrackedJob)
@RequirePermission(Permission.ManageWebhooks)
export class TrackedJobsResolver {
  constructor(
    private readonly trackedJobs: TrackedJobsService,
    private readonly pubsub: PubSubService,
  ) {}

  @Query(() => TrackedJob, { nullable: true })
  async trackedJob(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<TrackedJob> {
    return toTrackedJobModel(await this.trackedJobs.find(principal.tenantId, id));
  }

  @Mutation(() => TrackedJob)
  async cancelTrackedJob(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<TrackedJob> {
    return toTrackedJobModel(await this.trackedJobs.cancel(principal.tenantId, id));
  }

  @Subscription(() => TrackedJob, {
    filter: (payload: { trackedJobUpdated: TrackedJob }, variables: { id: string }) =>
      payload.trackedJobUpdated.id === variables.id,
  })
  async trackedJobUpdated(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AsyncIterator<TrackedJob>> {
    await this.trackedJobs.find(principal.tenantId, id);
    return this.pubsub.asyncIterator<TrackedJob>(Topic.TrackedJobUpdated, principal.tenantId);
  }
}
