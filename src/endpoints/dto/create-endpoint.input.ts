import { Field, InputType, Int } from '@nestjs/graphql';
import { IsOptional, IsString } from 'class-validator';
import { JsonScalar } from '../../common/graphql/scalars';
import { IsDescription, IsNameList, IsRateLimit } from './endpoint-input.validators';

@InputType()
export class CreateEndpointInput {
  /** Checked by the SSRF guard in the service (scheme, port, length, addresses). */
  @Field()
  @IsString()
  url: string;

  @Field(() => String, { nullable: true })
  @IsDescription()
  description?: string | null;

  @Field(() => [String], { nullable: true })
  @IsNameList()
  eventTypes?: string[] | null;

  @Field(() => [String], { nullable: true })
  @IsNameList()
  channels?: string[] | null;

  @Field(() => Int, { nullable: true })
  @IsRateLimit()
  rateLimitPerSecond?: number | null;

  @Field(() => JsonScalar, { nullable: true })
  headers?: unknown;

  @Field(() => JsonScalar, { nullable: true })
  metadata?: unknown;

  @Field(() => String, {
    nullable: true,
    description: 'Same key and same input within 24 h returns the first result; same key, other input: CONFLICT.',
  })
  @IsOptional()
  @IsString()
  idempotencyKey?: string | null;
}
