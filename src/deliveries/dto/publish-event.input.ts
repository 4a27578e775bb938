import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsOptional, IsString, Length, Matches } from 'class-validator';
import { JsonScalar } from '../../common/graphql/scalars';
import { EVENT_TYPE_NAME } from '../../event-types/event-type-definition';

const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

@InputType()
export class PublishEventInput {
  @Field()
  @IsString()
  @Matches(EVENT_TYPE_NAME, { message: 'eventType must be 1-128 characters of letters, digits and _ . -' })
  eventType: string;

  @Field(() => JsonScalar)
  payload: Record<string, unknown>;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @Matches(PRINTABLE, { each: true, message: 'channels must not contain control characters' })
  channels?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Deliveries of events with the same ordering key to the same endpoint are attempted strictly in publish order',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(PRINTABLE, { message: 'orderingKey must not contain control characters' })
  orderingKey?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  idempotencyKey?: string | null;
}
