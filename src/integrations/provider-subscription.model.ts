import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('ProviderSubscription')
export class ProviderSubscription {
  @Field()
  eventCode: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field()
  subscribed: boolean;

  @Field(() => Date, { nullable: true })
  updatedAt: Date | null;
}
