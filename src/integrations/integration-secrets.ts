import { validateTargetUrl } from '../common/http/ssrf-guard';
import { BaseUrlNotStringError, ProviderSecretMissingError, ProviderSecretTooShortError } from './integrations.errors';
import type { ProviderSecrets } from './providers';

/** Temu keys its AES-128 eventData with the first 16 bytes of the app secret. */
const TEMU_MIN_SECRET_BYTES = 16;

/**
 * What each provider needs to verify its callbacks (Faire: a webhookSecret, a brand token, or both), checked at create/update so that a misconfigured
 * integration fails there rather than answering 401 to every callback.
 */
export async function checkProviderSecrets(
  provider: string,
  secrets: ProviderSecrets,
  allowPrivateTargets: boolean,
  hasBrandToken = false,
): Promise<void> {
  const credentials = secrets.credentials ?? {};
  if (provider === 'temu') {
    const appSecret =
      typeof credentials['appSecret'] === 'string' && credentials['appSecret'] !== ''
        ? credentials['appSecret']
        : secrets.webhookSecret;
    if (!appSecret)
      throw new ProviderSecretMissingError(
        'credentials.appSecret',
        'is required for Temu (or give it as webhookSecret)',
      );
    if (Buffer.byteLength(appSecret, 'utf8') < TEMU_MIN_SECRET_BYTES) {
      throw new ProviderSecretTooShortError('credentials.appSecret', TEMU_MIN_SECRET_BYTES);
    }
  } else if (provider === 'faire') {
    // A brand token alone authenticates callbacks to POST /inbound/faire; the per-integration path needs the secret.
    if (!secrets.webhookSecret && !hasBrandToken)
      throw new ProviderSecretMissingError('webhookSecret', 'is required for faire (or give brandToken)');
  } else if (!secrets.webhookSecret) {
    throw new ProviderSecretMissingError('webhookSecret', `is required for ${provider}`);
  }
  const baseUrl = credentials['baseUrl'];
  if (baseUrl !== undefined) {
    if (typeof baseUrl !== 'string') throw new BaseUrlNotStringError();
    await validateTargetUrl(baseUrl, { allowPrivate: allowPrivateTargets, field: 'credentials.baseUrl' });
  }
}
