import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../common/graphql/pagination';
import { JsonScalar } from '../common/graphql/scalars';
import { EndpointEntity, EndpointHealth } from './endpoint.entity';

registerEnumType(EndpointHealth, { name: 'EndpointHealth' });

/** The API shape of an endpoint: never any secret. `stats` and `filters` are resolved by their own modules. */
@ObjectType('Endpoint')
export class Endpoint {
  @Field(() => ID)
  id: string;

  /** Not exposed: lets field resolvers of other modules scope their queries by tenant. */
  tenantId: string;

  @Field()
  url: string;

  @Field(() => ID, { nullable: true, description: 'Set when the endpoint is one URL of a WebhookRegistration' })
  registrationId: string | null;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => [String], { description: 'Event types this endpoint receives; an empty list means every type.' })
  eventTypes: string[];

  @Field(() => [String], {
    description: 'Channels this endpoint receives (e.g. shop:123); an empty list means every channel.',
  })
  channels: string[];

  @Field()
  isActive: boolean;

  @Field(() => String, { nullable: true })
  disabledReason: string | null;

  @Field(() => EndpointHealth)
  health: EndpointHealth;

  @Field(() => Int)
  consecutiveFailures: number;

  @Field(() => Date, { nullable: true, description: 'When a FAILING endpoint will be disabled' })
  disableAt: Date | null;

  @Field(() => Date, { nullable: true })
  verifiedAt: Date | null;

  @Field(() => Int, { nullable: true })
  rateLimitPerSecond: number | null;

  @Field(() => JsonScalar, { nullable: true })
  headers: Record<string, string> | null;

  @Field(() => JsonScalar, { nullable: true })
  metadata: Record<string, unknown> | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType()
export class EndpointConnection extends Connection(Endpoint, 'Endpoint', { totalCount: true }) {}

export function toEndpointModel(e: EndpointEntity): Endpoint {
  return {
    id: e.id,
    tenantId: e.tenantId,
    url: e.url,
    registrationId: e.registrationId,
    description: e.description,
    eventTypes: e.eventTypes,
    channels: e.channels,
    isActive: e.isActive,
    disabledReason: e.disabledReason,
    health: e.health,
    consecutiveFailures: e.consecutiveFailures,
    disableAt: e.disableAt,
    verifiedAt: e.verifiedAt,
    rateLimitPerSecond: e.rateLimitPerSecond,
    headers: e.headers,
    metadata: e.metadata,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
