import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { InboundEventFilter } from './inbound-event-filter.input';

/** Either eventIds, or applyToAll with integrationId and filter (checked by the service). */
@InputType()
export class BulkReprocessInboundInput {
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  eventIds?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  applyToAll?: boolean | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  integrationId?: string | null;

  @Field(() => InboundEventFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => InboundEventFilter)
  filter?: InboundEventFilter | null;

  @Field(() => Boolean, { nullable: true, description: 'Count what would be affected, change nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean | null;
}

@InputType()
export class BulkDeleteInboundInput extends BulkReprocessInboundInput {
  @Field({ description: 'Must be exactly YES (not needed with dryRun)' })
  @IsString()
  @Length(0, 20)
  confirmation: string;
}
