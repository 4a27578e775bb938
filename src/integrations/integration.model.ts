import { Field, ID, ObjectType } from '@nestjs/graphql';
import { IntegrationEntity } from './integration.entity';

@ObjectType('IntegrationInstance')
export class IntegrationInstance {
  @Field(() => ID)
  id: string;

  @Field({ description: 'faire, temu or generic' })
  provider: string;

  @Field()
  name: string;

  @Field({ description: 'Path (relative to the service) where the provider must POST its webhooks' })
  inboundPath: string;

  @Field()
  isActive: boolean;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType()
export class DeleteIntegrationPayload {
  @Field(() => ID)
  id: string;

  @Field()
  deletedAt: Date;
}

export function inboundPath(entity: Pick<IntegrationEntity, 'provider' | 'id'>): string {
  return `/inbound/${entity.provider}/${entity.id}`;
}

export function toIntegrationModel(entity: IntegrationEntity): IntegrationInstance {
  return {
    id: entity.id,
    provider: entity.provider,
    name: entity.name,
    inboundPath: inboundPath(entity),
    isActive: entity.isActive,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
