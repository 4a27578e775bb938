import { UnprocessableError } from '../common/errors/domain-error';

/**
 * `secrets:reencrypt` ended with secrets still off the current key: some are under key ids not in the ring (they
 * cannot be opened), or were rewritten under an old key while the job ran. Names the key ids and counts.
 */
export class ReencryptionIncompleteError extends UnprocessableError {
  constructor(
    readonly missingKeyIds: Record<string, number>,
    readonly stillPending: Record<string, number>,
  ) {
    const parts: string[] = [];
    for (const [id, n] of Object.entries(missingKeyIds)) {
      parts.push(
        `${n} secret(s) under key id "${id}", which is not in SECRETS_ENCRYPTION_KEYS (add it back to the ring)`,
      );
    }
    for (const [id, n] of Object.entries(stillPending)) {
      parts.push(`${n} secret(s) still under key id "${id}" (changed during the run)`);
    }
    super(`re-encryption incomplete: ${parts.join('; ')}; then run secrets:reencrypt again`, {
      missingKeyIds,
      stillPending,
      reasonCode: 'REENCRYPTION_INCOMPLETE',
    });
  }
}
