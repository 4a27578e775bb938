import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JsonScalar } from '../common/graphql/scalars';
import { EventTypeSource } from './event-type-definition';
import { EventTypeEntity } from './event-type.entity';
import { TenantEventTypeEntity } from './tenant-event-type.entity';

/** The GraphQL enum's keys are its values (registerEnumType uses keys). */
const EVENT_TYPE_SOURCE = {
  BUILT_IN: EventTypeSource.BuiltIn,
  TENANT: EventTypeSource.Tenant,
  OPERATIONAL: EventTypeSource.Operational,
} as const;

registerEnumType(EVENT_TYPE_SOURCE, {
  name: 'EventTypeSource',
  valuesMap: {
    BUILT_IN: { description: 'Shipped with the service: the commerce catalog that inbound processing publishes into' },
    TENANT: { description: 'Defined by this tenant' },
    OPERATIONAL: { description: "Published by the platform about the tenant's own endpoints and deliveries" },
  },
});

@ObjectType('EventType')
export class EventType {
  @Field({ description: 'e.g. order.created' })
  name: string;

  @Field()
  description: string;

  @Field(() => JsonScalar, { nullable: true, description: 'JSON Schema of the payload' })
  schema: Record<string, unknown> | null;

  @Field(() => JsonScalar)
  samplePayload: Record<string, unknown>;

  @Field()
  archived: boolean;

  @Field(() => EVENT_TYPE_SOURCE)
  source: EventTypeSource;

  @Field({ description: 'Still published and delivered; new subscriptions are discouraged' })
  deprecated: boolean;

  @Field(() => String, { nullable: true })
  groupName: string | null;

  @Field(() => Date, { nullable: true })
  createdAt: Date | null;

  @Field(() => Date, { nullable: true })
  updatedAt: Date | null;
}

/** A shipped type, as the event_types table mirrors it. */
export function toEventTypeModel(e: EventTypeEntity): EventType {
  return {
    name: e.name,
    description: e.description,
    schema: e.schema,
    samplePayload: e.samplePayload,
    archived: e.archived,
    source: e.operational ? EventTypeSource.Operational : EventTypeSource.BuiltIn,
    deprecated: false,
    groupName: null,
    createdAt: null,
    updatedAt: e.updatedAt,
  };
}

export function toTenantEventTypeModel(e: TenantEventTypeEntity): EventType {
  return {
    name: e.name,
    description: e.description,
    schema: e.schema,
    samplePayload: e.samplePayload,
    archived: e.archived,
    source: EventTypeSource.Tenant,
    deprecated: e.deprecated,
    groupName: e.groupName,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
