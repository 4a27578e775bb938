import { Field, InputType } from '@nestjs/graphql';
import { JsonScalar } from '../../common/graphql/scalars';
import { FilterConditionInput } from './filter-condition.input';

@InputType()
export class ValidateFilterInput {
  @Field(() => JsonScalar)
  sampleData: unknown;

  @Field(() => FilterConditionInput)
  filter: FilterConditionInput;
}
