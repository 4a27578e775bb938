import { Field, ObjectType } from '@nestjs/graphql';
import { PortalSessionEntity } from './portal-session.entity';

@ObjectType('PortalSession')
export class PortalSession {
  @Field({ description: 'Absolute URL of the console with the session in it; open it in a browser or an iframe' })
  url: string;

  @Field({ description: 'Bearer credential of the session (GraphQL over HTTP and WebSocket)' })
  token: string;

  @Field()
  expiresAt: Date;

  @Field(() => String, { nullable: true, description: "Set when the session sees only this channel's endpoints" })
  channel: string | null;

  @Field(() => [String])
  permissions: string[];
}

export function toPortalSessionModel(entity: PortalSessionEntity, token: string, url: string): PortalSession {
  return { url, token, expiresAt: entity.expiresAt, channel: entity.channel, permissions: entity.permissions };
}
