// Golden tests: the same context in each format, fitted to the same budget (TOON keeps every
// row where JSON and Markdown must drop some).
import { MemoryStorage, type Storage } from '@sochdb/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ContextBuilder, type ContextFormat } from '../src/index.js';

let storage: Storage;
beforeAll(async () => {
  storage = await MemoryStorage.open();
});
afterAll(() => storage.close());

const orders = [
  { id: 1, item: 'keyboard', total: 49.5, note: null },
  { id: 2, item: 'desk lamp, brass', total: 35, note: 'gift | wrap' },
  { id: 3, item: 'monitor', total: 199, note: 'line one\nline two' },
  { id: 4, item: 'cable', total: 5.25, note: null },
  { id: 5, item: 'mouse', total: 19, note: null },
  { id: 6, item: 'dock', total: 120, note: null },
];

const build = (format: ContextFormat) =>
  new ContextBuilder({ storage }, { budget: 90, format })
    .section('system', { text: 'Answer from the data below.\nCite order ids.' })
    .section('orders', { priority: 1, rows: orders })
    .section('history', { priority: 2, rows: [{ at: '2026-01-01', event: 'signed up' }] })
    .build();

const system = '## system\nAnswer from the data below.\nCite order ids.\n\n';

it('toon', async () => {
  const ctx = await build('toon');
  expect(ctx.text).toBe(
    system +
      '## orders\norders[6]{id,item,total,note}:1,keyboard,49.5,null;2,"desk lamp, brass",35,gift | wrap;3,monitor,199,"line one\\nline two";4,cable,5.25,null;5,mouse,19,null;6,dock,120,null',
  );
  expect(ctx.tokens).toBe(83);
  expect(ctx.sections).toEqual([
    { name: 'system', tokens: 14, rows: 2, totalRows: 2, truncated: false },
    { name: 'orders', tokens: 69, rows: 6, totalRows: 6, truncated: false },
    { name: 'history', tokens: 0, rows: 0, totalRows: 1, truncated: true },
  ]);
});

it('json', async () => {
  const ctx = await build('json');
  expect(ctx.text).toBe(
    system +
      '## orders (3 of 6 rows; 3 dropped)\n[{"id":1,"item":"keyboard","total":49.5,"note":null},{"id":2,"item":"desk lamp, brass","total":35,"note":"gift | wrap"},{"id":3,"item":"monitor","total":199,"note":"line one\\nline two"}]',
  );
  expect(ctx.tokens).toBe(89);
  expect(ctx.sections.map((s) => [s.rows, s.truncated])).toEqual([
    [2, false],
    [3, true],
    [0, true],
  ]);
});

it('markdown', async () => {
  const ctx = await build('markdown');
  expect(ctx.text).toBe(
    system +
      '## orders (2 of 6 rows; 4 dropped)\n| id | item | total | note |\n| --- | --- | --- | --- |\n| 1 | keyboard | 49.5 |  |\n| 2 | desk lamp, brass | 35 | gift \\| wrap |',
  );
  expect(ctx.tokens).toBe(75);
});

it('cl100k_base counts differently, and a custom counter is used as given', async () => {
  // o200k_base has far more non-English tokens than cl100k_base.
  const text = 'データベースの文脈をトークン予算に収める。नमस्ते दुनिया';
  const cl100k = await new ContextBuilder({ storage }, { budget: 1000, tokenizer: 'cl100k_base' }).section('a', { text }).build();
  const o200k = await new ContextBuilder({ storage }, { budget: 1000 }).section('a', { text }).build();
  expect(cl100k.text).toBe(o200k.text);
  expect(cl100k.tokens).toBeGreaterThan(o200k.tokens);
  const words = await new ContextBuilder({ storage }, { budget: 12, tokenizer: (text) => text.split(/\s+/).filter(Boolean).length })
    .section('a', { text: 'one two three\nfour five six\nseven eight nine\nten eleven twelve' })
    .build();
  // The header counts too: '## a (1 of 4 lines; 3 dropped)' is 8 words.
  expect(words).toMatchObject({ tokens: 11, sections: [{ rows: 1, totalRows: 4, truncated: true }] });
});
