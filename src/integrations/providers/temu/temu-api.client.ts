/**
 * Temu open platform client. Every call is a JSON POST to the router (e.g.
 * https://openapi-b-us.temu.com/openapi/router) with the common parameters type, app_key,
 * access_token, timestamp (unix seconds), data_type=JSON and sign = upper-case hex
 * MD5(appSecret + key1value1key2value2... (keys sorted; objects and arrays as compact JSON) + appSecret).
 * The HTTP transport is injected so the caller decides on timeouts and the SSRF guard.
 */
import { createHash } from 'node:crypto';
import { isRecord } from '../payload-reader';

export interface TemuCredentials {
  appKey: string;
  appSecret: string;
  accessToken: string;
  baseUrl: string;
}

export type TemuTransport = (
  url: string,
  body: string,
  headers: Record<string, string>,
) => Promise<{ status: number; body: string }>;

export type TemuSubscriptionChange = string[] | { code: string; enable: boolean }[];

/** bg.tmc.message.update takes at most 20 codes per list. */
const MAX_CODES_PER_LIST = 20;

export class TemuApiError extends Error {
  constructor(
    readonly type: string,
    readonly errorCode: string | number | undefined,
    readonly errorMsg: string,
  ) {
    super(`Temu ${type} failed: ${errorMsg}${errorCode === undefined ? '' : ` (code ${errorCode})`}`);
    this.name = 'TemuApiError';
  }
}

/** Drops null/undefined parameters: they are neither signed nor sent. */
function definedParams(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined && value !== null));
}

function signValue(value: unknown): string {
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

export function temuSign(params: Record<string, unknown>, appSecret: string): string {
  const keys = Object.keys(definedParams(params))
    .filter((key) => key !== 'sign')
    .sort();
  const concatenated = keys.map((key) => key + signValue(params[key])).join('');
  return createHash('md5')
    .update(appSecret + concatenated + appSecret, 'utf8')
    .digest('hex')
    .toUpperCase();
}

export class TemuApiClient {
  constructor(
    private readonly creds: TemuCredentials,
    private readonly post: TemuTransport,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Calls one API `type`; resolves with Temu's `result`, rejects with TemuApiError when `success` is false. */
  async call(type: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const common = {
      type,
      app_key: this.creds.appKey,
      access_token: this.creds.accessToken,
      timestamp: Math.floor(this.now().getTime() / 1000),
      data_type: 'JSON',
    };
    const unsigned = definedParams({ ...params, ...common });
    const body = JSON.stringify({ ...unsigned, sign: temuSign(unsigned, this.creds.appSecret) });
    const response = await this.post(this.creds.baseUrl, body, {
      'content-type': 'application/json',
      accept: 'application/json',
    });

    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      throw new TemuApiError(type, undefined, `HTTP ${response.status} with a body that is not JSON`);
    }
    if (!isRecord(parsed) || typeof parsed['success'] !== 'boolean') {
      throw new TemuApiError(type, undefined, `HTTP ${response.status} with an unexpected body`);
    }
    if (!parsed['success']) {
      const code = parsed['errorCode'];
      const message = parsed['errorMsg'];
      throw new TemuApiError(
        type,
        typeof code === 'string' || typeof code === 'number' ? code : undefined,
        typeof message === 'string' && message !== '' ? message : `HTTP ${response.status}`,
      );
    }
    if (response.status < 200 || response.status > 299)
      throw new TemuApiError(type, undefined, `HTTP ${response.status}`);
    return parsed['result'];
  }

  /** Subscribes the shop to event codes (a plain list), or turns each code on or off. */
  updateMessageSubscription(change: TemuSubscriptionChange): Promise<unknown> {
    const entries = change.map((item) => (typeof item === 'string' ? { code: item, enable: true } : item));
    const permit = entries.filter((e) => e.enable).map((e) => e.code);
    const cancel = entries.filter((e) => !e.enable).map((e) => e.code);
    if (permit.length === 0 && cancel.length === 0) throw new Error('Temu bg.tmc.message.update: no event codes given');
    if (permit.length > MAX_CODES_PER_LIST || cancel.length > MAX_CODES_PER_LIST) {
      throw new Error(`Temu bg.tmc.message.update: at most ${MAX_CODES_PER_LIST} event codes per list`);
    }
    return this.call('bg.tmc.message.update', {
      permitEventCodeList: permit.length > 0 ? permit : undefined,
      cancelEventCodeList: cancel.length > 0 ? cancel : undefined,
    });
  }
}
