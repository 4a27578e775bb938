export const REDACTED = '[redacted]';

/** Credential-looking headers, whatever the provider; the adapter adds its own signature headers. */
const SENSITIVE = /^(authorization|proxy-authorization|cookie|set-cookie)$|signature|hmac|token|secret|api[-_]?key/i;

/** Lower-cased headers with signatures and credentials replaced, as stored and shown to operators. */
export function redactHeaders(
  headers: Record<string, string | undefined>,
  signatureHeaders: string[],
): Record<string, string> {
  const extra = new Set(signatureHeaders.map((name) => name.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = extra.has(lower) || SENSITIVE.test(lower) ? REDACTED : value;
  }
  return out;
}
