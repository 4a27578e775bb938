import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from '../common/graphql/pagination';
import { JsonScalar } from '../common/graphql/scalars';
import { AuditLogEntity } from './audit-log.entity';

@ObjectType('AuditLogEntry')
export class AuditLogEntry {
  @Field(() => ID)
  id: string;

  @Field()
  action: string;

  @Field()
  actorType: string;

  @Field()
  actorId: string;

  @Field()
  targetType: string;

  @Field(() => String, { nullable: true })
  targetId: string | null;

  @Field(() => JsonScalar, { nullable: true })
  metadata: Record<string, unknown> | null;

  @Field()
  createdAt: Date;
}

@ObjectType()
export class AuditLogConnection extends Connection(AuditLogEntry, 'AuditLog') {}

export function toAuditLogEntry(e: AuditLogEntity): AuditLogEntry {
  return {
    id: e.id,
    action: e.action,
    actorType: e.actorType,
    actorId: e.actorId,
    targetType: e.targetType,
    targetId: e.targetId,
    metadata: e.metadata,
    createdAt: e.createdAt,
  };
}
