import { Field, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '../common/graphql/scalars';
import { EventTypeEntity } from './event-type.entity';

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
}

export function toEventTypeModel(e: EventTypeEntity): EventType {
  return {
    name: e.name,
    description: e.description,
    schema: e.schema,
    samplePayload: e.samplePayload,
    archived: e.archived,
  };
}
