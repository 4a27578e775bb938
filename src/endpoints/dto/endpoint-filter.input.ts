import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

@InputType()
export class EndpointFilter {
  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'Endpoints that receive this event type (listed, or every business type)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  eventType?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Endpoints that receive this channel (listed, or every channel)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  channel?: string | null;
}
