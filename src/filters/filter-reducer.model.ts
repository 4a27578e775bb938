import { Field, ID, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '../common/graphql/scalars';
import { FilterReducerEntity } from './filter-reducer.entity';

@ObjectType('FilterReducerConfig')
export class FilterReducerConfig {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  endpointId: string;

  @Field()
  eventType: string;

  @Field(() => JsonScalar, { nullable: true })
  filter: Record<string, unknown> | null;

  @Field(() => JsonScalar, { nullable: true })
  reducer: Record<string, unknown> | null;

  @Field()
  updatedAt: Date;
}

@ObjectType('FilterValidationResult')
export class FilterValidationResult {
  @Field({ description: 'The filter is well formed' })
  success: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Which leaf decided the result and why, or the parse error with its position',
  })
  message: string | null;

  @Field(() => Boolean, { nullable: true })
  filterResult: boolean | null;
}

@ObjectType('ReducerValidationResult')
export class ReducerValidationResult {
  @Field()
  success: boolean;

  @Field(() => String, { nullable: true, description: 'The failing path and reason when success is false' })
  message: string | null;

  @Field(() => JsonScalar, { nullable: true })
  reducerResult: unknown;
}

export function toFilterReducerConfigModel(e: FilterReducerEntity): FilterReducerConfig {
  return {
    id: e.id,
    endpointId: e.endpointId,
    eventType: e.eventType,
    filter: e.filter,
    reducer: e.reducer,
    updatedAt: e.updatedAt,
  };
}
