/**
 * CONSOLE_FRAME_ANCESTORS: the CSP `frame-ancestors` sources that may embed the console. Either `'none'` alone, or
 * a space-separated list of `'self'` and origins (`https://shop.example.com`, `https://*.example.com:8443`).
 * Anything else (paths, quotes other than 'self'/'none', semicolons that would inject directives) is refused at boot.
 */
const SOURCE = /^(?:'self'|https?:\/\/(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::\d{1,5})?)$/;
const MAX_SOURCES = 32;

/** The normalised directive value, or null when the text is malformed. */
export function parseFrameAncestors(text: string): string | null {
  const sources = text.trim().split(/\s+/).filter(Boolean);
  if (sources.length === 0 || sources.length > MAX_SOURCES) return null;
  if (sources.length === 1 && sources[0] === "'none'") return "'none'";
  return sources.every((s) => SOURCE.test(s)) ? sources.join(' ') : null;
}
