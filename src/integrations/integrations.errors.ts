import {
  BadUserInputError,
  ConflictError,
  LimitExceededError,
  NotFoundError,
  UnprocessableError,
} from '../common/errors/domain-error';

/** No integration of the caller's tenant has this id. */
export class IntegrationNotFoundError extends NotFoundError {
  constructor(id?: string) {
    super('Integration', id, 'INTEGRATION_NOT_FOUND');
  }
}

/** createIntegration with a provider no adapter is registered for. */
export class UnknownProviderError extends BadUserInputError {
  constructor(provider: string) {
    super('provider', `unknown provider "${provider}"`, { reasonCode: 'PROVIDER_UNKNOWN' });
  }
}

/** credentials over MAX_CREDENTIALS_BYTES as JSON. */
export class CredentialsTooLargeError extends LimitExceededError {
  constructor(size: number, limit: number) {
    super('credentials', `must be at most ${limit} bytes as JSON (got ${size})`, limit);
  }
}

/** The secret the provider's callbacks are verified with is absent (webhookSecret; Temu's appSecret). */
export class ProviderSecretMissingError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: 'PROVIDER_SECRET_MISSING' });
  }
}

/** Temu's app secret is under the 16 bytes its AES-128 key is taken from. */
export class ProviderSecretTooShortError extends BadUserInputError {
  constructor(field: string, minBytes: number) {
    super(field, `must be at least ${minBytes} bytes`, { reasonCode: 'PROVIDER_SECRET_TOO_SHORT' });
  }
}

/** credentials.baseUrl given as something other than a string (a bad URL is refused by the SSRF guard's errors). */
export class BaseUrlNotStringError extends BadUserInputError {
  constructor() {
    super('credentials.baseUrl', 'must be a string', { reasonCode: 'BASE_URL_NOT_STRING' });
  }
}

/** An event code the integration's provider does not have. */
export class UnknownEventCodeError extends BadUserInputError {
  constructor(provider: string) {
    super('eventCode', `is not a ${provider} event code`, { reasonCode: 'EVENT_CODE_UNKNOWN' });
  }
}

/** Subscriptions of this provider are configured on its side (only Temu's go through its API). */
export class SubscriptionsNotManagedError extends UnprocessableError {
  constructor(provider: string) {
    super(`${provider} subscriptions are configured on the provider's side, not through its API`, {
      reasonCode: 'PROVIDER_SUBSCRIPTIONS_NOT_MANAGED',
    });
  }
}

/** Calling the provider's API needs a credential the integration does not have. */
export class ProviderCredentialMissingError extends UnprocessableError {
  constructor(key: string) {
    super(`credentials.${key} is required to call the Temu API`, {
      field: `credentials.${key}`,
      reasonCode: 'PROVIDER_CREDENTIAL_MISSING',
    });
  }
}

/** The provider refused a subscription change, or could not be reached; the message is its answer. */
export class ProviderRequestFailedError extends UnprocessableError {
  constructor(message: string, eventCode: string) {
    super(message, { eventCode, reasonCode: 'PROVIDER_REQUEST_FAILED' });
  }
}

/** brandToken on an integration whose provider is not Faire (only Faire identifies a brand by a token). */
export class BrandTokenNotSupportedError extends BadUserInputError {
  constructor(provider: string) {
    super('brandToken', `is only for Faire integrations, not ${provider}`, { reasonCode: 'BRAND_TOKEN_NOT_SUPPORTED' });
  }
}

/**
 * The brand token is already another integration's (of any tenant: POST /inbound/faire names none, so the token
 * alone must find one integration). Nothing was changed.
 */
export class BrandTokenInUseError extends ConflictError {
  constructor() {
    super('brandToken is already set on another integration; nothing was changed', {
      field: 'brandToken',
      reasonCode: 'BRAND_TOKEN_IN_USE',
    });
  }
}
