// How the browser gets in: a first page load with ?token= becomes an HttpOnly cookie and a
// redirect to the same URL without the token; the cookie then opens the page, its assets and the
// API. And the built UI served from its folder (a stand-in folder here: the real build is the
// e2e test's).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioApp } from '../src/index.js';
import { harness, type Harness } from './helpers.js';

let h: Harness;
let uiDir: string;
beforeAll(async () => {
  h = await harness();
  uiDir = mkdtempSync(join(tmpdir(), 'sochdb-studio-ui-'));
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(join(uiDir, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(uiDir, 'secret.txt'), 'not an asset');
});
afterAll(async () => {
  await h.close();
  rmSync(uiDir, { recursive: true, force: true });
});

/** The cookie a response sets, as `name=value`, and its attributes. */
function cookieOf(response: Response): { pair: string; attributes: string } {
  const header = response.headers.get('set-cookie') ?? '';
  const [pair = '', ...attributes] = header.split(';').map((s) => s.trim());
  return { pair, attributes: attributes.join('; ') };
}

describe('the token cookie', () => {
  it('a page load with a valid ?token= sets an HttpOnly, SameSite=Strict cookie and redirects without the token', async () => {
    const response = await fetch(`${h.studio.url}/?token=${h.studio.token}&x=1`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/?x=1');
    const { pair, attributes } = cookieOf(response);
    const port = new URL(h.studio.url).port;
    expect(pair).toBe(`sochdb-studio-${port}=${h.studio.token}`);
    expect(attributes).toMatch(/HttpOnly/);
    expect(attributes).toMatch(/SameSite=Strict/);
    expect(attributes).toMatch(/Path=\//);
  });

  it('the cookie opens the API and the page; a wrong cookie, or none, is refused', async () => {
    const port = new URL(h.studio.url).port;
    const cookie = { cookie: `sochdb-studio-${port}=${h.studio.token}` };
    expect((await fetch(`${h.studio.url}/api/overview`, { headers: cookie })).status).toBe(200);
    const wrong = await fetch(`${h.studio.url}/api/overview`, { headers: { cookie: `sochdb-studio-${port}=${h.studio.token}x` } });
    expect(wrong.status).toBe(401);
    // Another studio's cookie (another port) is not this one's.
    expect((await fetch(`${h.studio.url}/api/overview`, { headers: { cookie: `sochdb-studio-1=${h.studio.token}` } })).status).toBe(401);
    expect((await fetch(`${h.studio.url}/`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${h.studio.url}/assets/x.js`, { redirect: 'manual' })).status).toBe(401);
  });

  it('a wrong ?token= on a page load is refused, with no cookie', async () => {
    const response = await fetch(`${h.studio.url}/?token=${h.studio.token}x`, { redirect: 'manual' });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('?token= on the API answers directly (no redirect, no cookie)', async () => {
    const response = await fetch(`${h.studio.url}/api/overview?token=${h.studio.token}`, { redirect: 'manual' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});

describe('the built UI', () => {
  const token = 'a-test-token-of-enough-length';
  const auth = { authorization: `Bearer ${token}` };

  it('serves index.html at / (with a content security policy) and files under /assets/', async () => {
    const app = createStudioApp({ db: h.db, token, uiDir });
    const page = await app.request('/', { headers: auth });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toContain('<title>studio</title>');
    const asset = await app.request('/assets/app-1234.js', { headers: auth });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('answers 404 (JSON) for a missing asset and for a path that climbs out of the folder', async () => {
    const app = createStudioApp({ db: h.db, token, uiDir });
    const missing = await app.request('/assets/nope.js', { headers: auth });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: number } }).error.code).toBe(9004);
    for (const path of ['/assets/..%2Fsecret.txt', '/assets/%2e%2e%2fsecret.txt', '/assets/../secret.txt']) {
      const response = await app.request(path, { headers: auth });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('not an asset');
    }
  });

  it('says how to build the UI when it is not built', async () => {
    const app = createStudioApp({ db: h.db, token, uiDir: join(uiDir, 'nothing-here') });
    const response = await app.request('/', { headers: auth });
    expect(response.status).toBe(404);
    const { error } = (await response.json()) as { error: { message: string; remediation: string } };
    expect(error.message).toMatch(/not built/);
    expect(error.remediation).toMatch(/pnpm --filter @sochdb\/studio build/);
  });
});
