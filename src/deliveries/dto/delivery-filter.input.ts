import { Field, ID, InputType } from '@nestjs/graphql';
import { DeliveryStatus } from '../delivery.entity';

@InputType()
export class DeliveryFilter {
  @Field(() => ID, { nullable: true })
  endpointId?: string | null;

  @Field(() => ID, { nullable: true })
  eventId?: string | null;

  @Field(() => [DeliveryStatus], { nullable: true })
  status?: DeliveryStatus[] | null;

  @Field(() => String, { nullable: true })
  eventType?: string | null;

  @Field(() => Date, { nullable: true })
  after?: Date | null;

  @Field(() => Date, { nullable: true })
  before?: Date | null;
}

@InputType()
export class EventFilter {
  @Field(() => String, { nullable: true })
  eventType?: string | null;

  @Field(() => String, { nullable: true })
  channel?: string | null;

  @Field(() => Date, { nullable: true })
  after?: Date | null;

  @Field(() => Date, { nullable: true })
  before?: Date | null;
}
