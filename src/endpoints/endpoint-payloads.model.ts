import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Page } from '../common/graphql/pagination';
import { EndpointEntity } from './endpoint.entity';
import { Endpoint, EndpointConnection, toEndpointModel } from './endpoint.model';
import { VerificationOutcome } from './endpoint-verification';

@ObjectType()
export class CreateEndpointPayload {
  @Field(() => Endpoint)
  endpoint: Endpoint;

  @Field({ description: 'whsec_... signing secret; shown only here and on rotate.' })
  secret: string;
}

@ObjectType()
export class RotateEndpointSecretPayload {
  @Field(() => Endpoint)
  endpoint: Endpoint;

  @Field()
  secret: string;

  @Field({ description: 'Until then deliveries are signed with both the old and the new secret.' })
  previousSecretExpiresAt: Date;
}

@ObjectType()
export class RevealedEndpointSecret {
  @Field(() => ID)
  endpointId: string;

  @Field()
  secret: string;

  @Field(() => String, { nullable: true, description: 'The rotated-out secret while its grace period lasts' })
  previousSecret: string | null;

  @Field(() => Date, { nullable: true })
  previousSecretExpiresAt: Date | null;
}

@ObjectType()
export class DeleteEndpointPayload {
  @Field(() => ID)
  id: string;

  @Field()
  deletedAt: Date;
}

@ObjectType()
export class VerificationResult {
  @Field()
  verified: boolean;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

export function toCreateEndpointPayload(r: { endpoint: EndpointEntity; secret: string }): CreateEndpointPayload {
  return { endpoint: toEndpointModel(r.endpoint), secret: r.secret };
}

export function toRotateEndpointSecretPayload(r: {
  endpoint: EndpointEntity;
  secret: string;
  previousSecretExpiresAt: Date;
}): RotateEndpointSecretPayload {
  return {
    endpoint: toEndpointModel(r.endpoint),
    secret: r.secret,
    previousSecretExpiresAt: r.previousSecretExpiresAt,
  };
}

export function toEndpointConnection(page: Page<EndpointEntity>): EndpointConnection {
  return {
    ...page,
    totalCount: page.totalCount ?? 0,
    edges: page.edges.map((e) => ({ node: toEndpointModel(e.node), cursor: e.cursor })),
  };
}

export function toVerificationResult(o: VerificationOutcome): VerificationResult {
  return { verified: o.verified, reason: o.reason };
}
