// Property: over random sections and budgets, the context never exceeds the budget by the real
// tokenizer, a more important section never loses rows while a less important one keeps any, and
// every row shown is whole and exactly the data's (a prefix, or a suffix for head_drop).
import { MemoryStorage, type Storage } from '@sochdb/core';
import { fromToon } from '@sochdb/toon';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ContextBuilder, tokenCounter, type TokenCounter } from '../src/index.js';

let storage: Storage;
let count: TokenCounter;
beforeAll(async () => {
  storage = await MemoryStorage.open();
  count = await tokenCounter('o200k_base');
});
afterAll(() => storage.close());

const line = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }).filter((s) => !s.includes('\n') && !s.includes('\r') && s.trim() !== '');
const cell = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 20, unit: 'grapheme' }),
  fc.boolean(),
  fc.constant(null),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const section = fc.record({
  priority: fc.integer({ min: 0, max: 3 }),
  truncation: fc.constantFrom('tail_drop', 'head_drop', 'proportional'),
  source: fc.oneof(
    fc.array(line, { maxLength: 8 }).map((lines) => ({ text: lines.join('\n') })),
    fc.array(fc.record({ id: fc.nat(), word: cell, n: cell }), { maxLength: 12 }).map((rows) => ({ rows })),
  ),
});

it('fits any sections to any budget, by priority, with whole rows', async () => {
  const seen = { truncated: 0, whole: 0, leftOut: 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(section, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 400 }), async (sections, budget) => {
      let builder = new ContextBuilder({ storage }, { budget });
      sections.forEach((s, i) => {
        builder = builder.section(`s${i}`, { ...s.source, priority: s.priority, truncation: s.truncation });
      });
      const ctx = await builder.build();
      if (ctx.sections.some((s) => s.truncated && s.rows > 0)) seen.truncated++;
      if (ctx.sections.every((s) => !s.truncated)) seen.whole++;
      if (ctx.sections.some((s) => s.tokens === 0)) seen.leftOut++;
      expect(ctx.tokens).toBeLessThanOrEqual(budget);
      expect(ctx.tokens).toBe(ctx.text === '' ? 0 : count(ctx.text));

      // Priority: once a section has lost rows, nothing strictly less important shows.
      ctx.sections.forEach((a, i) => {
        if (!a.truncated) return;
        ctx.sections.forEach((b, j) => {
          if (sections[j]!.priority > sections[i]!.priority) expect(b.tokens).toBe(0);
        });
      });

      // Whole rows: each rendered section reads back as exactly the kept slice of its data.
      const rendered = ctx.text === '' ? [] : ctx.text.split('\n\n');
      expect(rendered).toHaveLength(ctx.sections.filter((s) => s.tokens > 0).length);
      for (const part of rendered) {
        const newline = part.indexOf('\n');
        const header = newline < 0 ? part : part.slice(0, newline);
        const index = Number(/^## s(\d+)/.exec(header)![1]);
        const spec = sections[index]!;
        const report = ctx.sections[index]!;
        expect(report.tokens).toBe(count(part));
        const total = 'text' in spec.source ? (spec.source.text === '' ? 0 : spec.source.text.split('\n').length) : spec.source.rows.length;
        expect(report.totalRows).toBe(total);
        expect(header.includes(`(${report.rows} of ${total}`)).toBe(report.rows < total);
        const keepFrom = spec.truncation === 'head_drop' ? total - report.rows : 0;
        if ('text' in spec.source) {
          const lines = spec.source.text === '' ? [] : spec.source.text.split('\n');
          expect(newline < 0 ? [] : part.slice(newline + 1).split('\n')).toEqual(lines.slice(keepFrom, keepFrom + report.rows));
        } else {
          const body = part.slice(newline + 1);
          if (total === 0) expect(body).toBe('(no rows)');
          else
            // Exactly the rows: TOON keeps -0 (a JSON round trip, which this compared with before, makes it 0).
            expect(fromToon(body).records).toEqual(spec.source.rows.slice(keepFrom, keepFrom + report.rows));
        }
      }
    }),
    { numRuns: 150 },
  );
  // The runs covered each outcome, so the checks above were exercised.
  expect(Math.min(seen.truncated, seen.whole, seen.leftOut)).toBeGreaterThan(10);
});

it('proportional sections of one priority shrink together', async () => {
  const rows = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ id: i, text: `${tag} row ${i} with some words in it` }));
  const whole = await new ContextBuilder({ storage }, { budget: 100_000 })
    .section('a', { rows: rows(40, 'alpha'), truncation: 'proportional', priority: 1 })
    .section('b', { rows: rows(20, 'beta'), truncation: 'proportional', priority: 1 })
    .build();
  const ctx = await new ContextBuilder({ storage }, { budget: Math.floor(whole.tokens / 2) })
    .section('a', { rows: rows(40, 'alpha'), truncation: 'proportional', priority: 1 })
    .section('b', { rows: rows(20, 'beta'), truncation: 'proportional', priority: 1 })
    .build();
  const [a, b] = ctx.sections;
  expect(a!.truncated && b!.truncated).toBe(true);
  // Each keeps about the same share of its rows (within one row of rounding).
  expect(Math.abs(a!.rows / 40 - b!.rows / 20)).toBeLessThanOrEqual(1 / 20 + 1e-9);
  expect(a!.rows).toBeGreaterThan(10);
});

it('a section capped by its own maxTokens leaves room for the next ones', async () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({ id: i, note: `note number ${i}` }));
  const ctx = await new ContextBuilder({ storage }, { budget: 500 })
    .section('notes', { rows, maxTokens: 100 })
    .section('after', { text: 'still here' })
    .build();
  expect(ctx.sections[0]).toMatchObject({ truncated: true });
  expect(ctx.sections[0]!.tokens).toBeLessThanOrEqual(100);
  expect(ctx.sections[1]).toMatchObject({ rows: 1, truncated: false });
});

it('a section far larger than the budget keeps the rows that fit, counting little more than that', async () => {
  const rows = Array.from({ length: 50_000 }, (_, i) => ({ id: i, note: `row number ${i} of a large result` }));
  let counted = 0;
  const ctx = await new ContextBuilder(
    { storage },
    {
      budget: 500,
      tokenizer: (text) => {
        counted += text.length;
        return count(text);
      },
    },
  )
    .section('big', { rows })
    .build();
  expect(ctx.tokens).toBeLessThanOrEqual(500);
  expect(ctx.sections[0]).toMatchObject({ totalRows: 50_000, truncated: true });
  expect(ctx.sections[0]!.rows).toBeGreaterThan(20);
  // The whole section is ~2 MB of text; fitting it read a few times the kept part, not the whole.
  expect(counted).toBeLessThan(100_000);
});
