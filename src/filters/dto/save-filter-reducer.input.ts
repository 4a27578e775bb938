import { Field, InputType } from '@nestjs/graphql';
import { IsString, Length } from 'class-validator';
import { JsonScalar } from '../../common/graphql/scalars';
import { FilterConditionInput } from './filter-condition.input';

@InputType()
export class SaveFilterReducerInput {
  @Field()
  @IsString()
  @Length(1, 200)
  eventType: string;

  @Field(() => FilterConditionInput, { nullable: true })
  filter?: FilterConditionInput | null;

  @Field(() => JsonScalar, { nullable: true })
  reducer?: unknown;
}
