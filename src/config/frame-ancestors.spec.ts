import { parseFrameAncestors } from './frame-ancestors';

describe('parseFrameAncestors', () => {
  it.each([
    ["'none'", "'none'"],
    ["'self'", "'self'"],
    ['https://shop.example.com', 'https://shop.example.com'],
    [
      "'self'   https://*.example.com:8443 http://localhost:3000",
      "'self' https://*.example.com:8443 http://localhost:3000",
    ],
  ])('accepts %s', (text, expected) => {
    expect(parseFrameAncestors(text)).toBe(expected);
  });

  it.each([
    [''],
    ["'none' https://a.example"],
    ['*'],
    ['https://a.example/path'],
    ["https://a.example; script-src 'unsafe-inline'"],
    ["'unsafe-inline'"],
    ['javascript:alert(1)'],
    ['https://'],
  ])('refuses %p', (text) => {
    expect(parseFrameAncestors(text)).toBeNull();
  });
});
