import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { JsonScalar } from '../../common/graphql/scalars';
import { BRAND_TOKEN_MAX_LENGTH, BRAND_TOKEN_MIN_LENGTH, BRAND_TOKEN_PATTERN } from '../brand-token';

/** Absent fields stay as they are; secrets are replaced, never read back. */
@InputType()
export class UpdateIntegrationInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Replaces the webhook secret (stored encrypted)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  webhookSecret?: string | null;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Replaces the credentials (stored encrypted, never returned)',
  })
  @IsOptional()
  @IsObject()
  credentials?: Record<string, unknown> | null;

  @Field(() => String, {
    nullable: true,
    description: 'Faire: replaces the brand token (stored as a hash, never returned)',
  })
  @IsOptional()
  @IsString()
  @Length(BRAND_TOKEN_MIN_LENGTH, BRAND_TOKEN_MAX_LENGTH)
  @Matches(BRAND_TOKEN_PATTERN, { message: 'brandToken must be printable ASCII without spaces' })
  brandToken?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean | null;
}
