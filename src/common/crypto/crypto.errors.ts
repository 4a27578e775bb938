import { UnprocessableError } from '../errors/domain-error';

/**
 * A stored secret was sealed under a key id that is not in SECRETS_ENCRYPTION_KEYS (the key was removed before
 * `secrets:reencrypt` moved every secret off it). Names the key id, never any key material.
 */
export class SecretKeyMissingError extends UnprocessableError {
  constructor(readonly keyId: string) {
    super(
      `secret is encrypted with key id "${keyId}", which is not in SECRETS_ENCRYPTION_KEYS; add that key back to the ring (then run secrets:reencrypt)`,
      { keyId, reasonCode: 'SECRET_KEY_MISSING' },
    );
  }
}
