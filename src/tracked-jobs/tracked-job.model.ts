import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JsonScalar } from '../common/graphql/scalars';
import { TrackedJobEntity, TrackedJobStatus } from './tracked-job.entity';

registerEnumType(TrackedJobStatus, { name: 'TrackedJobStatus' });

@ObjectType('TrackedJob')
export class TrackedJob {
  @Field(() => ID)
  id: string;

  @Field()
  type: string;

  @Field(() => TrackedJobStatus)
  status: TrackedJobStatus;

  @Field(() => Int)
  progress: number;

  @Field(() => Int, { nullable: true })
  total: number | null;

  @Field(() => JsonScalar, { nullable: true })
  result: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  error: string | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;
}

export function toTrackedJobModel(e: TrackedJobEntity): TrackedJob {
  return {
    id: e.id,
    type: e.type,
    status: e.status,
    progress: e.progress,
    total: e.total,
    result: e.result,
    error: e.error,
    createdAt: e.createdAt,
    finishedAt: e.finishedAt,
  };
}
