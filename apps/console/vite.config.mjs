import react from '@vitejs/plugin-react-swc';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The console is served by the API from dist/console (see apps/api/src/console). `npm run console:dev`
// serves it with hot reload and forwards API calls to an API on :3000.
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or data: modules: the API's Content-Security-Policy runs only the site's own files.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 800,
    // .vite/manifest.json: which chunks each page loads up front (bench/console measures the initial JavaScript from it).
    manifest: true,
  },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:3000', '/docs': 'http://127.0.0.1:3000' },
  },
});
