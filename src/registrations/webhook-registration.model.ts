import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection, Page } from '../common/graphql/pagination';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { Endpoint, toEndpointModel } from '../endpoints/endpoint.model';
import { WebhookRegistrationEntity } from './webhook-registration.entity';

/** A registration with its endpoints (oldest first), as the service returns it. */
export interface RegistrationView {
  registration: WebhookRegistrationEntity;
  endpoints: EndpointEntity[];
}

@ObjectType('WebhookRegistration', {
  description:
    'A partner registration: one shop, its event types, several target URLs. Each URL is an endpoint of its own.',
})
export class WebhookRegistration {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: 'Its endpoints receive the channel shop:<shopId>' })
  shopId: string | null;

  @Field(() => [String])
  eventTypes: string[];

  @Field(() => [String])
  urls: string[];

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field()
  isActive: boolean;

  @Field(() => [Endpoint], { description: 'One per URL, each with its own deliveries, retries, health and log' })
  endpoints: Endpoint[];

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType()
export class WebhookRegistrationConnection extends Connection(WebhookRegistration, 'WebhookRegistration', {
  totalCount: true,
}) {}

@ObjectType()
export class CreateWebhookRegistrationPayload {
  @Field(() => WebhookRegistration)
  registration: WebhookRegistration;

  @Field({
    description:
      'whsec_... secret that signs the deliveries to every URL of the registration; shown only here and on rotate',
  })
  secret: string;
}

@ObjectType()
export class RotateWebhookRegistrationSecretPayload {
  @Field(() => WebhookRegistration)
  registration: WebhookRegistration;

  @Field()
  secret: string;

  @Field({ description: 'Until then deliveries are signed with both the old and the new secret.' })
  previousSecretExpiresAt: Date;
}

export function toWebhookRegistrationModel({ registration: r, endpoints }: RegistrationView): WebhookRegistration {
  return {
    id: r.id,
    shopId: r.shopId,
    eventTypes: r.eventTypes,
    urls: endpoints.map((e) => e.url),
    description: r.description,
    isActive: r.isActive,
    endpoints: endpoints.map(toEndpointModel),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function toWebhookRegistrationConnection(page: Page<RegistrationView>): WebhookRegistrationConnection {
  return {
    ...page,
    totalCount: page.totalCount ?? 0,
    edges: page.edges.map((e) => ({ node: toWebhookRegistrationModel(e.node), cursor: e.cursor })),
  };
}
