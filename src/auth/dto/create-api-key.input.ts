import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsIn, IsString, Length } from 'class-validator';
import { Permission } from '../principal';

@InputType()
export class CreateApiKeyInput {
  @Field()
  @IsString()
  @Length(1, 100)
  name: string;

  @Field(() => [String])
  @ArrayMaxSize(10)
  @IsIn(Object.values(Permission), {
    each: true,
    message: `each permission must be one of: ${Object.values(Permission).join(', ')}`,
  })
  permissions: string[];
}
