import { Field, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { JsonScalar } from '../../common/graphql/scalars';
import { IsDescription, IsNameList, IsRateLimit } from './endpoint-input.validators';

/** Partial: an absent field is unchanged; null clears description, rateLimitPerSecond, headers, metadata and empties the lists. */
@InputType()
export class UpdateEndpointInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  url?: string | null;

  @Field(() => String, { nullable: true })
  @IsDescription()
  description?: string | null;

  @Field(() => [String], { nullable: true })
  @IsNameList()
  eventTypes?: string[] | null;

  @Field(() => [String], { nullable: true })
  @IsNameList()
  channels?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean | null;

  @Field(() => Int, { nullable: true })
  @IsRateLimit()
  rateLimitPerSecond?: number | null;

  @Field(() => JsonScalar, { nullable: true })
  headers?: unknown;

  @Field(() => JsonScalar, { nullable: true })
  metadata?: unknown;
}
