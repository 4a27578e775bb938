import { EventTypeDefinition } from './event-type-definition';
import {
  ArchivedEventTypeError,
  ArchivedEventTypesError,
  PlatformOnlyEventTypeError,
  UnknownEventTypeError,
  UnknownEventTypesError,
} from './event-types.errors';
import { isPublishedByPlatformOnly } from './platform-event-types';

export type EventTypeLookup = (name: string) => EventTypeDefinition | undefined;

/**
 * What publishEvent may publish: a known, current type that is not the platform's own. `field` is the input's
 * (e.g. `inputs[3]`); the refusal names `<field>.eventType`.
 */
export function checkPublishable(
  type: EventTypeDefinition | undefined,
  name: string,
  field: string,
): EventTypeDefinition {
  if (!type) throw new UnknownEventTypeError(name, `${field}.eventType`);
  if (type.archived) throw new ArchivedEventTypeError(`${field}.eventType`, name);
  if (isPublishedByPlatformOnly(type.name)) throw new PlatformOnlyEventTypeError(`${field}.eventType`, name);
  return type;
}

/**
 * What an endpoint may subscribe to: every name must be known; archived ones only when the endpoint already had
 * them (so an update that keeps an old subscription is not refused).
 */
export function checkSubscribable(
  find: EventTypeLookup,
  names: readonly string[],
  alreadySubscribed: readonly string[] = [],
): void {
  const unknown = names.filter((name) => !find(name));
  if (unknown.length > 0) throw new UnknownEventTypesError(unknown);
  const archived = names.filter((name) => find(name)?.archived && !alreadySubscribed.includes(name));
  if (archived.length > 0) throw new ArchivedEventTypesError(archived);
}
