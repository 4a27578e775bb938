import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { JsonScalar } from '../../common/graphql/scalars';

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

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean | null;
}
