import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../common/graphql/pagination';
import { JsonScalar } from '../common/graphql/scalars';
import { TrackedJob } from '../tracked-jobs/tracked-job.model';
import { InboundEventEntity, InboundEventStatus } from './inbound-event.entity';

registerEnumType(InboundEventStatus, { name: 'InboundEventStatus' });

@ObjectType('InboundEvent')
export class InboundEvent {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  integrationId: string;

  @Field()
  provider: string;

  @Field({ description: 'Faire topic, Temu event code, ...' })
  eventCode: string;

  @Field(() => String, { nullable: true, description: "The provider's own id for this event, used to drop duplicates" })
  externalId: string | null;

  @Field(() => InboundEventStatus)
  status: InboundEventStatus;

  @Field(() => Int)
  attempts: number;

  @Field(() => String, { nullable: true })
  lastError: string | null;

  @Field(() => JsonScalar, { description: 'The raw payload as the provider delivered it (Temu: decrypted)' })
  jsonData: unknown;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Request headers; signature and credential headers redacted',
  })
  headers: Record<string, string> | null;

  @Field()
  receivedAt: Date;

  @Field(() => Date, { nullable: true })
  processedAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The outbound event that processing published, when any' })
  producedEventId: string | null;
}

@ObjectType()
export class InboundEventConnection extends Connection(InboundEvent, 'InboundEvent', { totalCount: true }) {}

@ObjectType('InboundEventStats')
export class InboundEventStats {
  @Field(() => Int) total: number;
  @Field(() => Int) pending: number;
  @Field(() => Int) processing: number;
  @Field(() => Int) processed: number;
  @Field(() => Int) failed: number;
  @Field(() => Int) skipped: number;
}

@ObjectType('ProcessInboundResult')
export class ProcessInboundResult {
  @Field(() => Int) processed: number;
  @Field(() => Int) failed: number;
  @Field(() => Int) skipped: number;
}

@ObjectType('BulkReprocessResult')
export class BulkReprocessResult {
  @Field(() => Int)
  affected: number;

  @Field(() => TrackedJob, {
    nullable: true,
    description: 'Set when the set was large enough to run in the background',
  })
  trackedJob: TrackedJob | null;
}

@ObjectType('DeleteInboundResult')
export class DeleteInboundResult {
  @Field(() => Int)
  deleted: number;
}

export function toInboundEventModel(e: InboundEventEntity): InboundEvent {
  return {
    id: e.id,
    integrationId: e.integrationId,
    provider: e.provider,
    eventCode: e.eventCode,
    externalId: e.externalId,
    status: e.status,
    attempts: e.attempts,
    lastError: e.lastError,
    jsonData: e.jsonData,
    headers: e.headers,
    receivedAt: e.receivedAt,
    processedAt: e.processedAt,
    producedEventId: e.producedEventId,
  };
}
