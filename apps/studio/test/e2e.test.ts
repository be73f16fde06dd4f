// The studio in a real browser (Debian's Chromium driven by playwright-core) on a seeded LevelDB
// database: what a user sees on each page, and that nothing opens without the token. Each page is
// also saved as a screenshot in <repo>/.tmp/studio-screenshots/ for a human to look at.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectGrpc } from '../src/grpc-connect.js';
import { grpcSource } from '../src/grpc-source.js';
import { startStudio, type RunningStudio } from '../src/index.js';
// @sochdb/grpc-server has no package entry point (it is a CLI): its source, as its own tests use it.
import { startServer } from '../../grpc-server/src/index.js';
import { harness, type Harness } from './helpers.js';

const SHOTS = resolve(import.meta.dirname, '../../../.tmp/studio-screenshots');

let browser: Browser;
let readOnly: Harness;
let writable: Harness;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [browser, readOnly, writable] = await Promise.all([
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
    harness(),
    harness({ write: true }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([readOnly?.close(), writable?.close()]);
});

/** A fresh browser context (no cookie yet) on `h`'s studio, opened the way a user opens the printed URL. */
async function open(h: { readonly studio: RunningStudio }, hash = ''): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${h.studio.url}/?token=${h.studio.token}${hash}`);
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });
}

/** How many pixels of the first canvas `selector` finds are painted: charts and graphs draw there. */
async function paintedPixels(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((element) => {
      // The test program has no DOM types: the part of the canvas API used, spelled out.
      const canvas = element as unknown as {
        readonly width: number;
        readonly height: number;
        getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { readonly data: ArrayLike<number> } } | null;
      };
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
      return painted;
    });
}

/** The grid's body cells, row by row. */
async function cells(page: Page, testId: string): Promise<string[][]> {
  return page
    .getByTestId(testId)
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}

describe('the studio in a browser', () => {
  it('opens from the printed URL: the token moves to a cookie, the overview shows the database', async () => {
    const page = await open(readOnly);
    expect(page.url()).toBe(`${readOnly.studio.url}/`);
    await expect.poll(() => page.getByTestId('mode').textContent()).toBe('read-only');
    await page.getByText('LSN').waitFor();
    const namespaces = await page.locator('table.grid').first().locator('tbody tr').allTextContents();
    expect(namespaces).toEqual(['docsarticles4cosine6']);
    await expect.poll(() => page.locator('table.grid').nth(1).locator('tbody tr').allTextContents()).toEqual(['emails20001', 'emails-dead10000']);
    await shoot(page, 'overview');
    await page.context().close();
  });

  it('runs SQL: the grid shows the cells, sorts by a header, explains, and points at a syntax error', async () => {
    const page = await open(readOnly, '#/sql');
    await page.getByLabel('SQL').fill('SELECT id, name, email FROM users ORDER BY id');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect
      .poll(() => cells(page, 'sql-grid'))
      .toEqual([
        ['1', 'Alice', 'alice@example.com'],
        ['2', 'Bob', 'bob@example.com'],
        ['3', 'Carol', 'carol@example.com'],
        ['4', 'Dave', 'NULL'],
        ['5', 'Eve', 'eve@example.com'],
      ]);
    expect(await page.getByTestId('sql-summary').textContent()).toBe('5 row(s)');
    expect(await page.getByTestId('sql-tokens').textContent()).toMatch(/^tokens: TOON \d+ · JSON \d+$/);
    // Sort by name, then again to reverse.
    await page.getByTestId('sql-grid').getByRole('columnheader', { name: 'name' }).click();
    await page.getByTestId('sql-grid').getByRole('columnheader', { name: 'name' }).click();
    expect((await cells(page, 'sql-grid')).map((row) => row[1])).toEqual(['Eve', 'Dave', 'Carol', 'Bob', 'Alice']);
    await page.getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => page.getByTestId('plan').textContent()).toMatch(/SCAN|SEARCH/);
    await shoot(page, 'sql');

    await page.getByLabel('SQL').fill('SELECT id\nFROM users WHERE');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/line 2/);
    expect(await page.getByTestId('sql-error-pointer').textContent()).toMatch(/^FROM users WHERE\n *\^$/);
    await page.context().close();
  });

  it('pages through KV keys by prefix and shows a value; no edit buttons when read-only', async () => {
    const page = await open(readOnly, '#/kv');
    await page.getByPlaceholder('user/').fill('page/');
    await page.getByRole('button', { name: 'Browse' }).click();
    const keys = async () => (await cells(page, 'kv-keys')).map((row) => row[0]);
    await expect.poll(keys).toEqual(Array.from({ length: 20 }, (_, i) => `page/${String(i).padStart(3, '0')}`));
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(keys).toEqual(['page/020', 'page/021', 'page/022', 'page/023', 'page/024']);
    expect(await page.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(async () => (await keys())[0]).toBe('page/000');
    await page.getByRole('cell', { name: 'page/007' }).click();
    await expect.poll(() => page.locator('.value pre').textContent()).toBe('value 7');
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await shoot(page, 'kv');
    await page.context().close();
  });

  it('edits and deletes a KV value in write mode', async () => {
    const page = await open(writable, '#/kv');
    await page.getByRole('cell', { name: 'greeting', exact: true }).click();
    await expect.poll(() => page.locator('.value pre').textContent()).toBe('hello world');
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.locator('textarea.editor').fill('{"hello": "studio"}');
    await page.getByLabel('store as').selectOption('json');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.value pre').textContent()).toBe('{\n  "hello": "studio"\n}');
    expect((await writable.db.get('greeting'))?.toString()).toBe('{"hello":"studio"}');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(async () => (await cells(page, 'kv-keys')).map((row) => row[0])).not.toContain('greeting');
    expect(await writable.db.get('greeting')).toBeNull();
    await page.context().close();
  });

  it('runs a hybrid search with a filter and shows the hits with scores', async () => {
    const page = await open(readOnly, '#/collections');
    await page.getByTestId('documents').getByRole('cell', { name: 'a1' }).waitFor();
    await page.getByLabel('text query').fill('vector databases');
    await page.getByLabel('vector', { exact: true }).fill('1, 0, 0, 0');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByTestId('search-mode').textContent()).toMatch(/hybrid search/);
    const hits = await cells(page, 'hits');
    expect(hits[0]?.[1]).toBe('a1');
    expect(hits[1]?.[1]).toBe('a2');
    for (const hit of hits) expect(hit[2]).toMatch(/^\d+\.\d{4}$/);
    // Only the food articles pass the filter.
    await page.getByRole('button', { name: '+ condition' }).click();
    await page.getByLabel('filter field').fill('topic');
    await page.getByLabel('filter value').fill('food');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(async () => (await cells(page, 'hits')).map((row) => row[1]).sort()).toEqual(['a3', 'a4']);
    await page.getByLabel('colour field').fill('topic');
    await page.getByLabel('colour field').press('Enter');
    // The scatter is drawn, with one legend entry per topic.
    await expect.poll(() => paintedPixels(page, '[data-testid="projection"]')).toBeGreaterThan(1000);
    await shoot(page, 'collections');
    await page.context().close();
  });

  it('retries a dead-lettered task in write mode, and the counts change', async () => {
    const page = await open(writable, '#/queues');
    const row = (name: string) => page.getByTestId('queues').locator(`tr[data-queue="${name}"]`).locator('td');
    await expect.poll(() => row('emails').allTextContents()).toEqual(['emails', '2', '0', '0', '0', '1', '3']);
    await expect.poll(() => page.getByTestId('dead-count').textContent()).toBe('(1)');
    expect(await page.getByTestId('dead-letters').textContent()).toContain('mail-0');
    await page.getByTestId('dead-letters').getByRole('button', { name: 'Retry' }).click();
    // pending 2 → 3; dead-lettered counts every task that ever ran out of attempts, so it stays 1.
    await expect.poll(() => row('emails').allTextContents()).toEqual(['emails', '3', '0', '0', '0', '1', '4']);
    await expect.poll(() => row('emails-dead').allTextContents()).toEqual(['emails-dead', '0', '0', '0', '0', '0', '0']);
    await expect.poll(() => page.getByTestId('dead-count').textContent()).toBe('(0)');
    expect((await cells(page, 'top-tasks')).map((r) => r[0])).toEqual(['mail-0', 'mail-1', 'mail-2']);
    await expect.poll(() => paintedPixels(page, '[data-testid="queue-chart"]')).toBeGreaterThan(1000);
    await page.getByTestId('top-tasks').getByRole('cell', { name: 'mail-0' }).click();
    await expect.poll(() => page.getByTestId('task-detail').textContent()).toMatch(/state pending/);
    await shoot(page, 'queues');
    await page.context().close();
  });

  it('draws a node’s neighbourhood and its temporal edges with a time slider', async () => {
    const page = await open(readOnly, '#/graph');
    await page.getByPlaceholder('social').fill('social');
    await page.getByPlaceholder('alice').fill('alice');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByTestId('graph-summary').textContent()).toMatch(/^2 node\(s\), 2 edge\(s\)/);
    await expect.poll(() => paintedPixels(page, '[data-testid="graph"] canvas[data-id="layer2-node"]')).toBeGreaterThan(500);
    // Expanding bob adds carol (bob FOLLOWS carol) to what is drawn.
    await page.getByTestId('graph-nodes').getByRole('button', { name: 'bob' }).click();
    await expect.poll(() => page.getByTestId('graph-summary').textContent()).toMatch(/^3 node\(s\), 3 edge\(s\) · selected bob/);
    await page.getByTestId('graph-nodes').getByRole('button', { name: 'alice' }).click();
    await expect.poll(() => page.getByTestId('timeline').locator('.lane').count()).toBe(2);
    await expect.poll(() => page.getByTestId('valid-at').textContent()).toBe('valid then: WORKS_AT → acme');
    await page.getByLabel('time').fill('2');
    await expect.poll(() => page.getByTestId('valid-at').textContent()).toBe('valid then: WORKS_AT → globex');
    await shoot(page, 'graph');
    await page.context().close();
  });

  it('refuses the page and the API without the token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${readOnly.studio.url}/`);
    expect(response?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('AuthenticationError');
    const api = await page.evaluate(async () => (await fetch('/api/overview')).status);
    expect(api).toBe(401);
    await context.close();
  });

  it('over a gRPC server: the overview says so and has no counters; EXPLAIN and document lists are left out', async () => {
    // The read-only harness's database served by a real sochdb-grpc-server (the database stays open).
    const server = await startServer({ db: readOnly.db, host: '127.0.0.1', port: 0, logLevel: 'silent' });
    const source = grpcSource(await connectGrpc(`127.0.0.1:${server.port}`), { queues: ['emails'] });
    const studio = await startStudio({ source });
    try {
      const page = await open({ studio });
      await expect.poll(() => page.getByTestId('no-stats').textContent()).toBe('Storage counters are not available over gRPC.');
      expect(await page.locator('main').textContent()).toContain('gRPC server');
      expect(await page.locator('main').textContent()).toContain('articles');
      await shoot(page, 'overview-grpc');
      await page.goto(`${studio.url}/#/sql`);
      await expect.poll(() => page.getByRole('button', { name: 'Run' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Explain' }).count()).toBe(0);
      await page.goto(`${studio.url}/#/collections`);
      await expect.poll(() => page.getByTestId('grpc-collections').count()).toBe(1);
      await page.context().close();
    } finally {
      await studio.close();
      await source.close();
      await server.close();
    }
  });
});
