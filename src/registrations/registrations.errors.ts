import { BadUserInputError, NotFoundError } from '../common/errors/domain-error';

/*
 * The faults of the registrations module, each with a stable reasonCode. A URL the SSRF guard refuses, an unknown
 * event type and the endpoint cap are named where they live (common/http, event-types, endpoints).
 */

/** Another tenant's registration, a missing one and an id that is not a UUID alike. */
export class WebhookRegistrationNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('WebhookRegistration', id); // reasonCode WEBHOOK_REGISTRATION_NOT_FOUND
  }
}

/** urls: fewer than 1 or more than MAX_REGISTRATION_URLS. */
export class RegistrationUrlCountError extends BadUserInputError {
  constructor(min: number, max: number, given: number) {
    super('urls', `must hold ${min} to ${max} URLs (got ${given})`, { reasonCode: 'REGISTRATION_URL_COUNT' });
  }
}

/** urls: the same URL twice (after normalisation). */
export class DuplicateRegistrationUrlError extends BadUserInputError {
  constructor(url: string) {
    super('urls', `lists ${url} more than once`, { url, reasonCode: 'DUPLICATE_REGISTRATION_URL' });
  }
}

/** shopId: empty, too long or with characters a channel name cannot hold. */
export class InvalidShopIdError extends BadUserInputError {
  constructor(reason: string) {
    super('shopId', reason, { reasonCode: 'INVALID_SHOP_ID' });
  }
}
