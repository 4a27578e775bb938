import { ArrayContains, type FindOptionsWhere, type SelectQueryBuilder } from 'typeorm';
import { ALL_CHANNELS, type ChannelScope } from '../auth/principal';
import type { EndpointEntity } from './endpoint.entity';
import { ChannelOutsideScopeError } from './endpoints.errors';
import { normalizeList } from './endpoint-rules';

/*
 * The channel scope of a portal session limited to one channel: it reaches only the endpoints whose channels list
 * contains that channel. An endpoint with no channels (it receives every channel) belongs to the platform, not to a
 * shop, so it is outside every channel scope. ALL_CHANNELS (null) reaches every endpoint of the tenant.
 */

/** The find-options condition of the scope, spread into a `where` beside tenantId. */
export function scopeWhere(channel: ChannelScope): FindOptionsWhere<EndpointEntity> {
  return channel === ALL_CHANNELS ? {} : { channels: ArrayContains([channel]) };
}

/** The same on a query builder over endpoints under `alias`. */
export function andWhereInScope<T extends object>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  channel: ChannelScope,
): SelectQueryBuilder<T> {
  return channel === ALL_CHANNELS
    ? qb
    : qb.andWhere(`:scopeChannel = ANY(${alias}.channels)`, { scopeChannel: channel });
}

/**
 * The channels an endpoint is created with, or updated to (undefined: unchanged). Within a channel scope the list
 * may only be that one channel: omitted on create it becomes it; anything else (another channel, several, none,
 * which would mean every channel) is refused, so a session can neither create nor move an endpoint out of its channel.
 */
export function scopedChannels(
  channel: ChannelScope,
  requested: readonly string[] | null | undefined,
  onCreate: boolean,
): string[] | undefined {
  if (requested === undefined && !onCreate) return undefined;
  if (channel === ALL_CHANNELS) return normalizeList('channels', requested ?? []);
  if (requested == null && onCreate) return [channel];
  const channels = normalizeList('channels', requested ?? []);
  if (channels.length !== 1 || channels[0] !== channel) throw new ChannelOutsideScopeError(channel);
  return channels;
}
