import { Field, InputType } from '@nestjs/graphql';
import { IsArray, IsOptional, IsString } from 'class-validator';
import { IsDescription, IsNameList } from '../../endpoints/dto/endpoint-input.validators';

@InputType()
export class CreateWebhookRegistrationInput {
  /** Count, distinctness and the SSRF guard are checked in the service. */
  @Field(() => [String], { description: '1 to 10 distinct URLs' })
  @IsArray()
  @IsString({ each: true })
  urls: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  shopId?: string | null;

  @Field(() => [String], { nullable: true })
  @IsNameList()
  eventTypes?: string[] | null;

  @Field(() => String, { nullable: true })
  @IsDescription()
  description?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Same key and same input within 24 h returns the first result; same key, other input: CONFLICT.',
  })
  @IsOptional()
  @IsString()
  idempotencyKey?: string | null;
}
