import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import {
  InvalidUrlError,
  PrivateTargetError,
  UrlHostMissingError,
  UrlHostUnresolvedError,
  UrlPortNotAllowedError,
  UrlSchemeNotAllowedError,
  UrlTooLongError,
  UrlUserinfoNotAllowedError,
} from './http.errors';

/** Resolves a host name to every address it has (v4 and v6). Injectable so tests can stub DNS. */
export type Resolver = (hostname: string) => Promise<string[]>;

export interface TargetUrlOptions {
  allowPrivate: boolean;
  resolve?: Resolver;
  /** The input field that refusals name (BAD_USER_INPUT); `url` unless given. */
  field?: string;
}

export const MAX_URL_LENGTH = 2048;
const ALLOWED_PROTOCOLS = new Set(['https:', 'http:']);
const ALLOWED_LOW_PORTS = new Set([80, 443]);
const MIN_HIGH_PORT = 1024;
const PRIVATE_HINT = '(set ALLOW_PRIVATE_TARGETS=true for development)';
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

export const defaultResolve: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true })).map((entry) => entry.address);

/** Refused at connect time: carries code 'ESSRF' so callers can tell it from network errors. */
export class SsrfBlockedError extends Error {
  readonly code = 'ESSRF';
  constructor(
    message: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(message);
    this.name = 'SsrfBlockedError';
  }
}

interface AddressClass {
  /** Normalised, with IPv4-mapped IPv6 unwrapped to IPv4. */
  address: string;
  range: string;
  isPublic: boolean;
}

const RANGE_LABELS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
  benchmarking: 'benchmarking',
  amt: 'AMT',
  as112: 'AS112',
  as112v6: 'AS112',
  uniqueLocal: 'unique-local',
  ipv4Mapped: 'IPv4-mapped',
  rfc6145: 'IPv4-translated',
  rfc6052: 'NAT64',
  '6to4': '6to4',
  teredo: 'Teredo',
  deprecatedSiteLocal: 'site-local',
  discard: 'discard-only',
  invalid: 'invalid',
};

const rangeLabel = (range: string): string => RANGE_LABELS[range] ?? range;
const withArticle = (label: string): string =>
  `${/^(unspecified|invalid|IPv4|AS112|AMT|ORCHID)/.test(label) ? 'an' : 'a'} ${label} address`;

function classifyAddress(ip: string): AddressClass {
  if (!ipaddr.isValid(ip)) {
    return { address: ip, range: 'invalid', isPublic: false };
  }
  const parsed = ipaddr.process(ip);
  const range: string = parsed.range();
  if (parsed.kind() === 'ipv4') {
    return { address: parsed.toString(), range, isPublic: range === 'unicast' };
  }
  // ipaddr.js calls everything it has no name for 'unicast' (e.g. the deprecated ::/96); only 2000::/3 is global.
  const global = range === 'unicast' && parsed.match(IPV6_GLOBAL_UNICAST);
  return { address: parsed.toString(), range: range === 'unicast' && !global ? 'reserved' : range, isPublic: global };
}

/** True only for globally routable unicast addresses (IPv4-mapped IPv6 is judged as the IPv4 it wraps). */
export function isPublicAddress(ip: string): boolean {
  return classifyAddress(ip).isPublic;
}

/** The IP of a URL whose host is an IP literal (brackets stripped), else null. */
export function ipLiteralHost(url: URL): string | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) !== 0 ? host : null;
}

/**
 * The checks that need no DNS: scheme, userinfo, port, length, host. WHATWG parsing already turns
 * `127.1`, `0x7f000001`, `2130706433` and `0177.0.0.1` into `127.0.0.1`.
 */
export function checkUrlShape(raw: string, field = 'url'): URL {
  if (raw.length > MAX_URL_LENGTH) {
    const reason = `is too long (${raw.length} characters; the limit is ${MAX_URL_LENGTH})`;
    throw new UrlTooLongError(field, reason, MAX_URL_LENGTH);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidUrlError(field);
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
    throw new UrlSchemeNotAllowedError(field, url.protocol);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UrlUserinfoNotAllowedError(field);
  }
  if (url.hostname === '') {
    throw new UrlHostMissingError(field);
  }
  if (url.port !== '') {
    const port = Number(url.port);
    if (!ALLOWED_LOW_PORTS.has(port) && port < MIN_HIGH_PORT) {
      throw new UrlPortNotAllowedError(field, port);
    }
  }
  if (url.href.length > MAX_URL_LENGTH) {
    const reason = `is too long once normalised (the limit is ${MAX_URL_LENGTH} characters)`;
    throw new UrlTooLongError(field, reason, MAX_URL_LENGTH);
  }
  return url;
}

/**
 * Validation at create/update time. Unless allowPrivate, an IP literal and every address the host
 * resolves to must be public. This is not enough on its own (DNS can change): pair it with lookupGuard.
 */
export async function validateTargetUrl(raw: string, opts: TargetUrlOptions): Promise<URL> {
  const field = opts.field ?? 'url';
  const url = checkUrlShape(raw, field);
  if (opts.allowPrivate) {
    return url;
  }
  const literal = ipLiteralHost(url);
  if (literal !== null) {
    const found = classifyAddress(literal);
    if (!found.isPublic) {
      const shown = found.address === literal ? literal : `${literal} (${found.address})`;
      const reason = `address ${shown} is ${rangeLabel(found.range)}, not a public address ${PRIVATE_HINT}`;
      throw new PrivateTargetError(field, reason, found.address);
    }
    return url;
  }

  const host = url.hostname;
  let addresses: string[];
  try {
    addresses = await (opts.resolve ?? defaultResolve)(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) {
    throw new UrlHostUnresolvedError(field, host);
  }
  for (const address of addresses) {
    const found = classifyAddress(address);
    if (!found.isPublic) {
      const reason = `host ${host} resolves to ${found.address}, which is ${rangeLabel(found.range)}, not a public address ${PRIVATE_HINT}`;
      throw new PrivateTargetError(field, reason, found.address);
    }
  }
  return url;
}

/** The connect-time refusal for an IP-literal host (net.connect does not call lookup for those). */
export function blockedLiteral(ip: string): SsrfBlockedError | null {
  const found = classifyAddress(ip);
  return found.isPublic
    ? null
    : new SsrfBlockedError(`${ip} is ${withArticle(rangeLabel(found.range))}`, found.address, found.range);
}

function dnsError(hostname: string, cause?: unknown): NodeJS.ErrnoException {
  const code = errorCode(cause) ?? 'ENOTFOUND';
  const error: NodeJS.ErrnoException = new Error(`dns lookup failed for ${hostname} (${code})`, { cause });
  error.code = code;
  error.syscall = 'getaddrinfo';
  return error;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') {
    return err.code;
  }
  return undefined;
}

function familyOf(family: unknown): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/** A net/tls `lookup` that resolves with `resolve`, optionally refusing non-public answers. */
export function resolverLookup(resolve: Resolver, refuseNonPublic: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const pick = (addresses: string[]): LookupAddress[] => {
      if (refuseNonPublic) {
        for (const address of addresses) {
          const found = classifyAddress(address);
          if (!found.isPublic) {
            throw new SsrfBlockedError(
              `${hostname} resolves to ${found.address}, ${withArticle(rangeLabel(found.range))}`,
              found.address,
              found.range,
            );
          }
        }
      }
      const wanted = familyOf(options.family);
      const entries = addresses
        .map((address) => ({ address, family: isIP(address) }))
        .filter((entry) => entry.family !== 0 && (wanted === 0 || entry.family === wanted));
      if (entries.length === 0) {
        throw dnsError(hostname);
      }
      return entries;
    };

    resolve(hostname)
      .then(pick, (err: unknown) => {
        throw dnsError(hostname, err);
      })
      // nextTick: run the callback outside the promise chain so its own exceptions are not swallowed.
      .then(
        (entries) =>
          process.nextTick(() =>
            options.all ? callback(null, entries) : callback(null, entries[0].address, entries[0].family),
          ),
        (err: NodeJS.ErrnoException) => process.nextTick(() => callback(err, '', 0)),
      );
  };
}

/**
 * A `lookup` for undici/net connect options that refuses (code 'ESSRF') when any address the name
 * resolves to is not public. It runs at connect time, so the addresses checked are the ones
 * connected to: a name that passed validation and later re-points at 127.0.0.1 is still refused.
 */
export function lookupGuard(opts: { resolve?: Resolver } = {}): LookupFunction {
  return resolverLookup(opts.resolve ?? defaultResolve, true);
}
