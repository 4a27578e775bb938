import { Field, ID, InputType } from '@nestjs/graphql';
import { IsArray, IsDate, IsEnum, IsOptional, IsString, Length } from 'class-validator';
import { InboundEventStatus } from '../inbound-event.entity';

@InputType()
export class InboundEventFilter {
  @Field(() => ID)
  @IsString()
  integrationId: string;

  @Field(() => [InboundEventStatus], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(InboundEventStatus, { each: true })
  status?: InboundEventStatus[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  eventCode?: string | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  receivedAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  receivedBefore?: Date | null;
}
