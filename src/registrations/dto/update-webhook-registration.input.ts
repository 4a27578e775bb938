import { Field, InputType } from '@nestjs/graphql';
import { IsArray, IsBoolean, IsOptional, IsString } from 'class-validator';
import { IsDescription, IsNameList } from '../../endpoints/dto/endpoint-input.validators';

/** Partial: an absent field is unchanged; null clears shopId and description and empties eventTypes. */
@InputType()
export class UpdateWebhookRegistrationInput {
  @Field(() => [String], {
    nullable: true,
    description: "Replaces the set: a new URL gets an endpoint; a removed URL's endpoint is deleted",
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  urls?: string[] | null;

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

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean | null;
}
