import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { DomainError } from '../errors/domain-error';
import { blockedLiteral, checkUrlShape, ipLiteralHost, lookupGuard, resolverLookup, type Resolver } from './ssrf-guard';

/** Response bytes kept; the rest is not read. */
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024;
const DEFAULT_USER_AGENT = 'Hookline-Webhooks/1.0';

export type HttpErrorKind = 'timeout' | 'network' | 'blocked' | 'dns';

export interface HttpResponse {
  ok: true;
  status: number;
  headers: Record<string, string>;
  /** At most MAX_RESPONSE_BODY_BYTES, decoded as UTF-8. */
  body: string;
  durationMs: number;
}

export interface HttpFailure {
  ok: false;
  /** Human-readable, e.g. 'timeout after 15000 ms', 'connection refused'. */
  error: string;
  errorKind: HttpErrorKind;
  durationMs: number;
}

export type HttpResult = HttpResponse | HttpFailure;

export interface OutboundHttpClientOptions {
  allowPrivateTargets: boolean;
  /** Replaces DNS (tests map names to loopback). */
  resolve?: Resolver;
  userAgent?: string;
  /** Undefined: no limit. */
  maxConnectionsPerOrigin?: number;
}

export interface PostOptions {
  /** Bounds the whole exchange: connect, headers and body. */
  timeoutMs: number;
}

// Hop-by-hop and framing headers are the client's business (undici rejects several of them outright).
const RESERVED_HEADERS = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL']);
const NETWORK_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EPIPE: 'connection closed by peer',
  UND_ERR_SOCKET: 'connection closed by peer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
};

/**
 * The one outbound HTTP client: keep-alive pool per origin, one deadline over the whole exchange,
 * no redirects, a capped response body, and the SSRF guard applied to the address connected to.
 */
export class OutboundHttpClient {
  private readonly agent: Agent;
  private readonly userAgent: string;

  constructor(private readonly opts: OutboundHttpClientOptions) {
    this.userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
    const lookup = opts.allowPrivateTargets
      ? opts.resolve && resolverLookup(opts.resolve, false)
      : lookupGuard({ resolve: opts.resolve });
    this.agent = new Agent({
      connections: opts.maxConnectionsPerOrigin ?? null,
      ...(lookup ? { connect: { lookup } } : {}),
    });
  }

  async post(url: string, body: string, headers: Record<string, string>, opts: PostOptions): Promise<HttpResult> {
    const started = performance.now();
    const fail = (errorKind: HttpErrorKind, error: string): HttpFailure => ({
      ok: false,
      error,
      errorKind,
      durationMs: Math.round(performance.now() - started),
    });

    let target: URL;
    try {
      target = checkUrlShape(url);
    } catch (err) {
      return fail('blocked', `blocked: ${err instanceof DomainError ? err.message : String(err)}`);
    }
    if (!this.opts.allowPrivateTargets) {
      // net.connect skips lookup for IP literals, so the guard would never see them.
      const literal = ipLiteralHost(target);
      const refusal = literal === null ? null : blockedLiteral(literal);
      if (refusal) {
        return fail('blocked', `blocked: ${refusal.message}`);
      }
    }

    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Raced rather than relying on the signal alone: undici only acts on an abort once a socket is
    // connected, so a slow lookup or connect would otherwise outlive the deadline.
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve('timeout');
      }, opts.timeoutMs);
    });
    const exchange = this.exchange(target, body, headers, controller.signal, started);
    exchange.catch(() => undefined); // may be abandoned to the deadline
    try {
      const outcome = await Promise.race([exchange, deadline]);
      return outcome === 'timeout' ? fail('timeout', `timeout after ${opts.timeoutMs} ms`) : outcome;
    } catch (err) {
      if (controller.signal.aborted) {
        return fail('timeout', `timeout after ${opts.timeoutMs} ms`);
      }
      const { errorKind, error } = describeFailure(err);
      return fail(errorKind, error);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async exchange(
    target: URL,
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal,
    started: number,
  ): Promise<HttpResponse> {
    const response = await request(target, {
      dispatcher: this.agent,
      method: 'POST',
      headers: this.requestHeaders(headers),
      body,
      signal,
    });
    const text = await readCapped(response.body, MAX_RESPONSE_BODY_BYTES);
    return {
      ok: true,
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: text,
      durationMs: Math.round(performance.now() - started),
    };
  }

  private requestHeaders(headers: Record<string, string>): Record<string, string> {
    const result: Record<string, string> = { 'user-agent': this.userAgent };
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (!RESERVED_HEADERS.has(lower)) {
        result[lower] = value;
      }
    }
    return result;
  }
}

/** Reads up to `limit` bytes, then stops: breaking out of the iterator destroys the stream. */
async function readCapped(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = limit - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (size >= limit) {
      break;
    }
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      result[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return result;
}

interface ErrorNode {
  code?: string;
  message: string;
}

/**
 * The error and its causes (undici and happy-eyeballs wrap the socket error: cause, AggregateError.errors).
 * Duck-typed: errors from node internals fail `instanceof Error` under jest's realms.
 */
function errorChain(err: unknown): ErrorNode[] {
  const nodes: ErrorNode[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) {
      return;
    }
    seen.add(value);
    const code = 'code' in value && typeof value.code === 'string' ? value.code : undefined;
    const message = 'message' in value && typeof value.message === 'string' ? value.message : '';
    nodes.push({ code, message });
    if ('cause' in value) visit(value.cause);
    if ('errors' in value && Array.isArray(value.errors)) {
      for (const inner of value.errors) visit(inner);
    }
  };
  visit(err);
  return nodes;
}

function describeFailure(err: unknown): { errorKind: HttpErrorKind; error: string } {
  const chain = errorChain(err);
  const find = (test: (code: string) => boolean): ErrorNode | undefined =>
    chain.find((node) => node.code !== undefined && test(node.code));

  const blocked = find((code) => code === 'ESSRF');
  if (blocked) return { errorKind: 'blocked', error: `blocked: ${blocked.message}` };
  const dns = find((code) => DNS_CODES.has(code));
  if (dns) return { errorKind: 'dns', error: `dns lookup failed (${dns.code})` };
  if (find((code) => code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT')) {
    return { errorKind: 'timeout', error: 'connect timeout' };
  }
  const known = find((code) => code in NETWORK_MESSAGES);
  if (known?.code) return { errorKind: 'network', error: NETWORK_MESSAGES[known.code] };
  const tls = find((code) => /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code));
  if (tls) return { errorKind: 'network', error: `tls error: ${tls.message}` };
  return { errorKind: 'network', error: chain[0]?.message || 'request failed' };
}
