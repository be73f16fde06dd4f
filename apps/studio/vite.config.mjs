// Builds the UI (ui/) into dist/ui, which the Hono app serves. JSX is compiled by Vite 8's oxc
// transform for Preact's automatic runtime, so no framework plugin is needed.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./ui', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Source maps would double what the package ships for a tool read in a browser's devtools rarely.
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  logLevel: 'warn',
});
