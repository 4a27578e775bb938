import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

/** The service checks the OpenAPI text's size (1 MiB) itself, with a named error; this bounds the input before it. */
const MAX_OPENAPI_CHARS = 2 * 1024 * 1024;

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
