import { Field, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';

/** Bounds only; the rules (range, known and held permissions, channel) are in portal-session-rules.ts. */
@InputType()
export class CreatePortalSessionInput {
  @Field(() => Int, { nullable: true, description: '60 to 86400 seconds, default 3600' })
  @IsOptional()
  @IsInt()
  ttlSeconds?: number | null;

  @Field(() => [String], {
    nullable: true,
    description: "A subset of the caller's permissions; default manage_webhooks",
  })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  permissions?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'The session sees and creates only endpoints of this channel (e.g. shop:42)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  channel?: string | null;
}
