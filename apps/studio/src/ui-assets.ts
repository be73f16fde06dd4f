// The built UI (dist/ui, written by `vite build`): index.html at `/`, hashed files under /assets/.
// The folder is found from this module: `../dist/ui` is the same place from src/ (tests, dev) and
// from dist/ (the published package), since both sit beside dist/.
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { NotFoundError } from '@sochdb/sdk';

/** Where `vite build` writes the UI. */
export const UI_DIR = fileURLToPath(new URL('../dist/ui/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The page's policy: only this origin's scripts (no inline script, no eval), inline styles allowed
 * (chart.js and cytoscape set element styles), no framing, and fetches only to this origin.
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

async function readUiFile(dir: string, name: string): Promise<Buffer | undefined> {
  const path = resolve(dir, name);
  // A request path cannot climb out of the folder (`/assets/../../secret`).
  if (!path.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return undefined;
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

/** The routes serving the built UI from `dir` (default UI_DIR). */
export function uiRoutes(dir: string = UI_DIR): Hono {
  return new Hono()
    .get('/', async (c) => {
      const html = await readUiFile(dir, 'index.html');
      if (html === undefined) {
        throw new NotFoundError(`the studio's UI is not built (no ${resolve(dir, 'index.html')})`, {
          remediation: 'Run `pnpm --filter @sochdb/studio build` (it runs `vite build`); the API under /api works without it.',
        });
      }
      c.header('content-security-policy', CSP);
      c.header('x-content-type-options', 'nosniff');
      c.header('cache-control', 'no-cache');
      return c.body(new Uint8Array(html), 200, { 'content-type': TYPES['.html'] ?? 'text/html' });
    })
    .get('/assets/:file', async (c) => {
      const name = c.req.param('file');
      // Only plain file names: a decoded `..%2F` must not reach the rest of the folder.
      const body = /^[\w-][\w.-]*$/.test(name) ? await readUiFile(resolve(dir, 'assets'), name) : undefined;
      if (body === undefined) throw new NotFoundError(`no UI asset '${name}'`);
      c.header('x-content-type-options', 'nosniff');
      // Vite puts a content hash in every asset name: a changed file gets a new name.
      c.header('cache-control', 'public, max-age=31536000, immutable');
      return c.body(new Uint8Array(body), 200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' });
    });
}
