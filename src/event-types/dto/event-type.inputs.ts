import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { JsonScalar } from '../../common/graphql/scalars';

export const MAX_EVENT_TYPE_DESCRIPTION = 1_000;
export const MAX_GROUP_NAME = 128;
/** The service checks the OpenAPI text's size (1 MiB) itself, with a named error; this bounds the input before it. */
const MAX_OPENAPI_CHARS = 2 * 1024 * 1024;

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

@InputType()
export class UpdateEventTypeInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, MAX_EVENT_TYPE_DESCRIPTION)
  description?: string | null;

  @Field(() => JsonScalar, { nullable: true })
  schema?: unknown;

  @Field(() => JsonScalar, { nullable: true })
  samplePayload?: unknown;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  deprecated?: boolean | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_GROUP_NAME)
  groupName?: string | null;
}

@InputType()
export class ImportEventTypesInput {
  @Field({
    description: 'OpenAPI 3.1 document, JSON or YAML text; each entry of its webhooks section becomes an event type',
  })
  @IsString()
  @MaxLength(MAX_OPENAPI_CHARS)
  openApi: string;

  @Field(() => Boolean, { nullable: true, description: 'Report what would change, change nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean | null;
}

@ObjectType()
export class ImportEventTypesResult {
  @Field(() => [String])
  created: string[];

  @Field(() => [String])
  updated: string[];

  @Field(() => [String])
  unchanged: string[];
}
