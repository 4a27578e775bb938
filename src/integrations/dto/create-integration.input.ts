import { Field, InputType } from '@nestjs/graphql';
import { IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { JsonScalar } from '../../common/graphql/scalars';
import { BRAND_TOKEN_MAX_LENGTH, BRAND_TOKEN_MIN_LENGTH, BRAND_TOKEN_PATTERN } from '../brand-token';

@InputType()
export class CreateIntegrationInput {
  @Field()
  @IsString()
  @Length(1, 50)
  provider: string;

  @Field()
  @IsString()
  @Length(1, 100)
  name: string;

  @Field(() => String, {
    nullable: true,
    description: 'Secret the provider signs its webhooks with (stored encrypted)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  webhookSecret?: string | null;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Provider API credentials and base URL (stored encrypted, never returned)',
  })
  @IsOptional()
  @IsObject()
  credentials?: Record<string, unknown> | null;

  @Field(() => String, {
    nullable: true,
    description: 'Faire: the brand token Faire sends in X-Faire-Brand-Token (stored as a hash, never returned)',
  })
  @IsOptional()
  @IsString()
  @Length(BRAND_TOKEN_MIN_LENGTH, BRAND_TOKEN_MAX_LENGTH)
  @Matches(BRAND_TOKEN_PATTERN, { message: 'brandToken must be printable ASCII without spaces' })
  brandToken?: string | null;
}
