import { BadUserInputError, LimitExceededError } from '../errors/domain-error';

/**
 * A target URL refused at create/update (ssrf-guard's validateTargetUrl): BAD_USER_INPUT on `field`, which is `url`
 * for an endpoint and `credentials.baseUrl` for an integration. At connect time the guard fails the attempt instead.
 */

/** Longer than MAX_URL_LENGTH, as given or once normalised. */
export class UrlTooLongError extends LimitExceededError {
  constructor(field: string, reason: string, limit: number) {
    super(field, reason, limit);
  }
}

/** Not a URL WHATWG can parse. */
export class InvalidUrlError extends BadUserInputError {
  constructor(field: string) {
    super(field, 'is not a valid URL', { reasonCode: 'URL_INVALID' });
  }
}

/** Neither https nor http. */
export class UrlSchemeNotAllowedError extends BadUserInputError {
  constructor(field: string, protocol: string) {
    super(field, `scheme ${protocol} is not allowed; use https or http`, { reasonCode: 'URL_SCHEME_NOT_ALLOWED' });
  }
}

/** `https://user:password@host/`. */
export class UrlUserinfoNotAllowedError extends BadUserInputError {
  constructor(field: string) {
    super(field, 'must not contain a username or password', { reasonCode: 'URL_USERINFO_NOT_ALLOWED' });
  }
}

/** A URL without a host. */
export class UrlHostMissingError extends BadUserInputError {
  constructor(field: string) {
    super(field, 'must include a host', { reasonCode: 'URL_HOST_MISSING' });
  }
}

/** A port under 1024 other than 80 and 443. */
export class UrlPortNotAllowedError extends BadUserInputError {
  constructor(field: string, port: number) {
    super(field, `port ${port} is not allowed; use 80, 443 or 1024-65535`, { reasonCode: 'URL_PORT_NOT_ALLOWED' });
  }
}

/** A host name that resolves to no address. */
export class UrlHostUnresolvedError extends BadUserInputError {
  constructor(field: string, host: string) {
    super(field, `host ${host} could not be resolved`, { reasonCode: 'URL_HOST_UNRESOLVED' });
  }
}

/** An IP literal, or a host resolving to an address, that is not public (loopback, private, ...): the SSRF guard. */
export class PrivateTargetError extends BadUserInputError {
  constructor(field: string, reason: string, address: string) {
    super(field, reason, { address, reasonCode: 'TARGET_NOT_PUBLIC' });
  }
}
