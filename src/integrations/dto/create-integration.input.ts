import { Field, InputType } from '@nestjs/graphql';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';
import { JsonScalar } from '../../common/graphql/scalars';

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
}
