import { Field, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { JsonScalar } from '../../common/graphql/scalars';

export const MAX_EVENT_TYPE_DESCRIPTION = 1_000;
export const MAX_GROUP_NAME = 128;

@InputType()
export class CreateEventTypeInput {
  /** Checked by the service (1-128 of letters, digits, _ . -) with a named error. */
  @Field({
    description:
      '1-128 characters of letters, digits and _ . - : both comment.created and NEW_CONSUMER_ORDER are valid',
  })
  @IsString()
  name: string;

  @Field()
  @IsString()
  @Length(1, MAX_EVENT_TYPE_DESCRIPTION)
  description: string;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'JSON Schema (draft 2020-12) that published payloads must match',
  })
  schema?: unknown;

  @Field(() => JsonScalar, { nullable: true, description: 'Must match schema; generated from schema when omitted' })
  samplePayload?: unknown;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_GROUP_NAME)
  groupName?: string | null;
}
