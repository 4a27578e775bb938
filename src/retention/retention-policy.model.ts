import { Field, Int, ObjectType } from '@nestjs/graphql';
import { RetentionDays } from './retention-rules';

@ObjectType('RetentionPolicy')
export class RetentionPolicy {
  @Field(() => Int, { description: 'Finished deliveries, their attempts, and events with no unfinished delivery' })
  deliveriesDays: number;

  @Field(() => Int, { description: 'Inbound events that are PROCESSED, SKIPPED or FAILED' })
  inboundEventsDays: number;

  @Field(() => Int)
  auditLogDays: number;
}

export function toRetentionPolicyModel(policy: RetentionDays): RetentionPolicy {
  return {
    deliveriesDays: policy.deliveriesDays,
    inboundEventsDays: policy.inboundEventsDays,
    auditLogDays: policy.auditLogDays,
  };
}
