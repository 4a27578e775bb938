import { Injectable } from '@nestjs/common';
import { OutboundHttpClient } from '../common/http/http-client';
import { ProviderCredentialMissingError } from './integrations.errors';
import type { ProviderSecrets } from './providers';
import { TemuApiClient, type TemuCredentials } from './providers/temu/temu-api.client';

const TEMU_TIMEOUT_MS = 15_000;
const REQUIRED = ['appKey', 'appSecret', 'accessToken', 'baseUrl'] as const;

/** Builds Temu API clients whose requests go through the SSRF-guarded outbound client. */
@Injectable()
export class TemuClientFactory {
  constructor(private readonly http: OutboundHttpClient) {}

  /** Throws UNPROCESSABLE naming the first missing credential. */
  create(secrets: ProviderSecrets): TemuApiClient {
    const credentials = secrets.credentials ?? {};
    for (const key of REQUIRED) {
      const value = credentials[key];
      if (typeof value !== 'string' || value === '') throw new ProviderCredentialMissingError(key);
    }
    return new TemuApiClient(credentials as unknown as TemuCredentials, async (url, body, headers) => {
      const result = await this.http.post(url, body, headers, { timeoutMs: TEMU_TIMEOUT_MS });
      if (!result.ok) throw new Error(`Temu request failed: ${result.error}`);
      return { status: result.status, body: result.body };
    });
  }
}
