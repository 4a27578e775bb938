import { DuplicateRegistrationUrlError, InvalidShopIdError, RegistrationUrlCountError } from './registrations.errors';

export const MIN_REGISTRATION_URLS = 1;
export const MAX_REGISTRATION_URLS = 10;
export const MAX_SHOP_ID_LENGTH = 128;
const SHOP_ID = /^[A-Za-z0-9_.:-]+$/;

/** The count of a URL list, before each URL goes through the SSRF guard (which may resolve DNS). */
export function checkUrlCount(urls: readonly string[]): void {
  if (urls.length < MIN_REGISTRATION_URLS || urls.length > MAX_REGISTRATION_URLS) {
    throw new RegistrationUrlCountError(MIN_REGISTRATION_URLS, MAX_REGISTRATION_URLS, urls.length);
  }
}

/** Normalised URLs must be distinct: two endpoints of one registration at one URL would receive everything twice. */
export function checkDistinct(urls: readonly string[]): void {
  const seen = new Set<string>();
  for (const url of urls) {
    if (seen.has(url)) throw new DuplicateRegistrationUrlError(url);
    seen.add(url);
  }
}

export function checkShopId(shopId: string): string {
  if (shopId.length === 0 || shopId.length > MAX_SHOP_ID_LENGTH) {
    throw new InvalidShopIdError(`must be 1 to ${MAX_SHOP_ID_LENGTH} characters`);
  }
  if (!SHOP_ID.test(shopId)) throw new InvalidShopIdError('may hold only letters, digits and _ . : -');
  return shopId;
}

/** The channels of a registration's endpoints: its shop's, or every channel when no shop is set. */
export function channelsFor(shopId: string | null): string[] {
  return shopId === null ? [] : [`shop:${shopId}`];
}

/** How a new URL set differs from the current one: what to create and which current entries go. */
export function diffUrls<T extends { url: string }>(current: readonly T[], wanted: readonly string[]) {
  const keep = new Set(wanted);
  const have = new Set(current.map((e) => e.url));
  return { added: wanted.filter((u) => !have.has(u)), removed: current.filter((e) => !keep.has(e.url)) };
}
