import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { dataUrlAssets } from './build/data-url-assets';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The console is served by the api role under /console (src/console-host), built into dist/console. */
export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [
    react(),
    dataUrlAssets(fileURLToPath(new URL('../node_modules/.cache/console-data-urls', import.meta.url))),
  ],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Inline nothing: the CSP allows scripts, styles, images and fonts only from 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/graphql': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
