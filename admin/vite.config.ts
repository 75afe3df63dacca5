import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The newsroom web app: built to dist/admin and served by Fastify under /admin/. */
export default defineConfig({
  root,
  base: '/admin/',
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('../dist/admin', import.meta.url)),
    emptyOutDir: true,
    // No inline module-preload polyfill: the CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // Maps stay on disk for debugging but are not referenced from the served bundle.
    sourcemap: 'hidden',
  },
  server: {
    // `npx vite --config admin/vite.config.ts` in development; the API runs on :3000.
    proxy: { '/api': 'http://127.0.0.1:3000', '/media': 'http://127.0.0.1:3000', '/admin/preview': 'http://127.0.0.1:3000' },
  },
});
