import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional } from 'class-validator';

/** Each field: a number of days (1–3650) sets it, null puts it back to the default, absent leaves it. */
@InputType('RetentionPolicyInput')
export class RetentionPolicyInput {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  deliveriesDays?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  inboundEventsDays?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  auditLogDays?: number | null;
}
