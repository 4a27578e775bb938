import {
  BadUserInputError,
  ForbiddenError,
  LimitExceededError,
  NotFoundError,
  UnprocessableError,
} from '../common/errors/domain-error';

/*
 * The faults of the endpoints module, each with a stable reasonCode (extensions.reasonCode). A URL that the SSRF
 * guard refuses is named where the guard lives, since integrations share it (common/http/http.errors.ts):
 * INVALID_URL, TARGET_NOT_PUBLIC, HOST_NOT_RESOLVED.
 */

/** Another tenant's endpoint, a missing one and an id that is not a UUID alike. */
export class EndpointNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Endpoint', id); // reasonCode ENDPOINT_NOT_FOUND
  }
}

/** A tenant at MAX_ENDPOINTS_PER_TENANT tried to create one more. */
export class EndpointLimitError extends LimitExceededError {
  constructor(limit: number) {
    super('input', `a tenant may have at most ${limit} endpoints; delete one before creating another`, limit);
  }
}

/** An update set a field to null that has no empty state (url, isActive). */
export class NullNotAllowedError extends BadUserInputError {
  constructor(field: string) {
    super(field, 'cannot be null', { reasonCode: 'NULL_NOT_ALLOWED' });
  }
}

/** eventTypes or channels is not a list of non-empty, short, printable strings, or has too many entries. */
export class InvalidListError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: 'INVALID_LIST' });
  }
}

/** headers: not an object, too many, a reserved or malformed name, a given-twice name, or a bad value. */
export class InvalidHeadersError extends BadUserInputError {
  constructor(reason: string, header?: string) {
    const reasonCode = 'INVALID_HEADERS';
    super('headers', reason, header === undefined ? { reasonCode } : { header, reasonCode });
  }
}

/** metadata is not a JSON object, or is too big. */
export class InvalidMetadataError extends BadUserInputError {
  constructor(reason: string) {
    super('metadata', reason, { reasonCode: 'INVALID_METADATA' });
  }
}

export class DescriptionTooLongError extends BadUserInputError {
  constructor(max: number) {
    super('description', `must be at most ${max} characters`, { reasonCode: 'DESCRIPTION_TOO_LONG' });
  }
}

export class InvalidRateLimitError extends BadUserInputError {
  constructor(min: number, max: number) {
    super('rateLimitPerSecond', `must be an integer between ${min} and ${max}`, { reasonCode: 'INVALID_RATE_LIMIT' });
  }
}

/** A reveal by a caller without reveal_webhook_secrets: secrets are shown on create and rotate only. */
export class SecretRevealNotPermittedError extends ForbiddenError {
  constructor(permission: string) {
    super(
      `missing permission ${permission}: signing secrets are shown once, when the endpoint is created and when ` +
        'its secret is rotated. Rotate the secret to get a new one (the old one keeps signing for 24 h), ' +
        `or ask for a credential with ${permission}`,
      { permission, reasonCode: 'SECRET_REVEAL_NOT_PERMITTED' },
    );
  }
}

/** updateEndpoint's url, rotateEndpointSecret or deleteEndpoint on one URL of a webhook registration. */
export class ManagedByRegistrationError extends UnprocessableError {
  constructor(id: string, registrationId: string, action: string) {
    super(`endpoint ${id} belongs to webhook registration ${registrationId}: ${action} it through the registration`, {
      registrationId,
      reasonCode: 'MANAGED_BY_REGISTRATION',
    });
  }
}

/** A portal session limited to a channel gave an endpoint channels other than exactly its own. */
export class ChannelOutsideScopeError extends BadUserInputError {
  constructor(channel: string) {
    super('channels', `this session is limited to channel ${channel}: channels must be ["${channel}"] or omitted`, {
      reasonCode: 'CHANNEL_OUTSIDE_SESSION',
      channel,
    });
  }
}
