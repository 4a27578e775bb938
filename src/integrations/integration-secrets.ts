import { BadUserInputError } from '../common/errors/domain-error';
import { validateTargetUrl } from '../common/http/ssrf-guard';
import type { ProviderSecrets } from './providers';

/** Temu keys its AES-128 eventData with the first 16 bytes of the app secret. */
const TEMU_MIN_SECRET_BYTES = 16;

/**
 * What each provider needs to verify its callbacks, checked at create/update so that a misconfigured
 * integration fails there rather than answering 401 to every callback.
 */
export async function checkProviderSecrets(provider: string, secrets: ProviderSecrets, allowPrivateTargets: boolean): Promise<void> {
  const credentials = secrets.credentials ?? {};
  if (provider === 'temu') {
    const appSecret = typeof credentials['appSecret'] === 'string' && credentials['appSecret'] !== '' ? credentials['appSecret'] : secrets.webhookSecret;
    if (!appSecret) throw new BadUserInputError('credentials.appSecret', 'is required for Temu (or give it as webhookSecret)');
    if (Buffer.byteLength(appSecret, 'utf8') < TEMU_MIN_SECRET_BYTES) {
      throw new BadUserInputError('credentials.appSecret', `must be at least ${TEMU_MIN_SECRET_BYTES} bytes`);
    }
  } else if (!secrets.webhookSecret) {
    throw new BadUserInputError('webhookSecret', `is required for ${provider}`);
  }
  const baseUrl = credentials['baseUrl'];
  if (baseUrl !== undefined) {
    if (typeof baseUrl !== 'string') throw new BadUserInputError('credentials.baseUrl', 'must be a string');
    try {
      await validateTargetUrl(baseUrl, { allowPrivate: allowPrivateTargets });
    } catch (error) {
      if (error instanceof BadUserInputError) throw new BadUserInputError('credentials.baseUrl', String(error.details['reason']));
      throw error;
    }
  }
}
