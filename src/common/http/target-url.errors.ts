import { BadUserInputError } from '../errors/domain-error';

/*
 * Refusals of the SSRF guard's create-time check (validateTargetUrl): field `url`, each with a stable reasonCode.
 * Endpoint URLs reach clients with them; integrations re-raise the reason under credentials.baseUrl.
 */

/** Not a URL Hookline sends to: unparsable, too long, a scheme but http(s), credentials, a port below 1024 but 80/443. */
export class InvalidTargetUrlError extends BadUserInputError {
  constructor(reason: string) {
    super('url', reason, { reasonCode: 'INVALID_URL' });
  }
}

/** The SSRF refusal: the host is, or resolves to, an address that is not public (unless ALLOW_PRIVATE_TARGETS). */
export class TargetNotPublicError extends BadUserInputError {
  constructor(reason: string, address: string) {
    super('url', reason, { address, reasonCode: 'TARGET_NOT_PUBLIC' });
  }
}

/** The host has no address (so none could be checked). */
export class HostNotResolvedError extends BadUserInputError {
  constructor(host: string) {
    super('url', `host ${host} could not be resolved`, { reasonCode: 'HOST_NOT_RESOLVED' });
  }
}
