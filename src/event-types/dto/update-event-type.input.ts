import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { JsonScalar } from '../../common/graphql/scalars';
import { MAX_EVENT_TYPE_DESCRIPTION, MAX_GROUP_NAME } from './create-event-type.input';

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
