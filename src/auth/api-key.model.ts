import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiKeyEntity } from './api-key.entity';

@ObjectType('ApiKey')
export class ApiKey {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  prefix: string;

  @Field(() => [String])
  permissions: string[];

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  /** The full key; shown only in this response. */
  @Field({ description: 'The full key; shown only in this response.' })
  key: string;
}

export function toApiKeyModel(entity: ApiKeyEntity): ApiKey {
  return {
    id: entity.id,
    name: entity.name,
    prefix: entity.prefix,
    permissions: entity.permissions,
    createdAt: entity.createdAt,
    lastUsedAt: entity.lastUsedAt,
    revokedAt: entity.revokedAt,
  };
}
