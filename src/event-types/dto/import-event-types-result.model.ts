import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class ImportEventTypesResult {
  @Field(() => [String])
  created: string[];

  @Field(() => [String])
  updated: string[];

  @Field(() => [String])
  unchanged: string[];
}
