import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Plugin } from 'vite';

const DATA_URL = /url\(\s*(["']?)data:([a-z0-9.+/-]+);base64,([A-Za-z0-9+/=]+)\1\s*\)/gi;
const EXTENSION: Record<string, string> = {
  'font/woff2': 'woff2',
  'font/woff': 'woff',
  'font/ttf': 'ttf',
  'application/font-woff': 'woff',
  'image/png': 'png',
  'image/svg+xml': 'svg',
  'image/gif': 'gif',
};

/**
 * Stylesheets from npm (GraphiQL's) embed fonts and images as data: URLs, which the console's CSP refuses
 * (font-src and img-src are 'self'). This turns each into a file of its own, which the build then emits as an asset
 * served by the service like any other. Runs before Vite's CSS plugin, so the relative url() it writes is resolved
 * and hashed as usual.
 */
export function dataUrlAssets(cacheDir: string): Plugin {
  return {
    name: 'hookline:data-url-assets',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0];
      if (!file.endsWith('.css') || !file.includes('node_modules') || !code.includes('data:')) return null;
      let changed = false;
      const out = code.replace(DATA_URL, (whole: string, _quote: string, mime: string, base64: string) => {
        const ext = EXTENSION[mime.toLowerCase()];
        if (!ext) return whole;
        const bytes = Buffer.from(base64, 'base64');
        const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${ext}`;
        mkdirSync(cacheDir, { recursive: true });
        const target = join(cacheDir, name);
        writeFileSync(target, bytes);
        changed = true;
        return `url("${relative(dirname(file), target).split('\\').join('/')}")`;
      });
      return changed ? { code: out, map: null } : null;
    },
  };
}
