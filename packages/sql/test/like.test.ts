// LIKE and GLOB: the same answers as SQLite on random texts and patterns, and no input that can
// stall the process (the old RegExp-based matcher took 12 s on one 40-character text).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '@sochdb/sql';
import { BetterSqlite, openEngine, type SqliteDatabase } from './helpers.js';

let lite: SqliteDatabase;
let ours: SqlEngine;
let close: () => Promise<void>;

beforeAll(async () => {
  lite = new BetterSqlite(':memory:');
  const db = await openEngine();
  ours = db.sql;
  close = db.close;
});
afterAll(async () => {
  lite.close();
  await close();
});

// Small alphabets so that matches are common; wildcards, class brackets, case pairs, a non-ASCII
// letter (case-folded by neither engine) and an astral character (one character, two UTF-16 units).
const textChar = fc.constantFrom('a', 'A', 'b', 'B', 'x', '%', '_', '-', ']', 'é', 'É', '😀', ' ');
const likeChar = fc.constantFrom('a', 'A', 'b', '%', '%', '_', '\\', 'x', 'é', '😀', '-');
const globChar = fc.constantFrom('a', 'A', 'b', '*', '*', '?', '[', ']', '^', '-', 'x', 'é', '😀');
const text = fc.array(textChar, { maxLength: 12 }).map((cs) => cs.join(''));

async function oursOf(sql: string, params: unknown[]): Promise<unknown> {
  return (await ours.execute(sql, params, { rowMode: 'array' })).rows[0]![0];
}

describe('LIKE and GLOB agree with SQLite', () => {
  it('LIKE, with and without ESCAPE', async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(likeChar, { maxLength: 10 }).map((cs) => cs.join('')),
        fc.boolean(),
        async (value, pattern, escaped) => {
          const sql = escaped ? "SELECT ? LIKE ? ESCAPE '\\'" : 'SELECT ? LIKE ?';
          let expected: unknown;
          try {
            expected = Number(lite.prepare(sql).raw(true).get(value, pattern)![0]);
          } catch {
            expected = 'error';
          }
          const got = await oursOf(sql, [value, pattern]).catch(() => 'error');
          expect(got, `${JSON.stringify(value)} LIKE ${JSON.stringify(pattern)}${escaped ? ' ESCAPE \\' : ''}`).toBe(expected);
        },
      ),
      { seed: 20261205, numRuns: 1500 },
    );
  });

  it('GLOB, with [...] classes, ranges and negation', async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(globChar, { maxLength: 10 }).map((cs) => cs.join('')),
        async (value, pattern) => {
          const expected = Number(lite.prepare('SELECT ? GLOB ?').raw(true).get(value, pattern)![0]);
          expect(await oursOf('SELECT ? GLOB ?', [value, pattern]), `${JSON.stringify(value)} GLOB ${JSON.stringify(pattern)}`).toBe(expected);
        },
      ),
      { seed: 20261206, numRuns: 1500 },
    );
  });
});

describe('no pattern can stall a match', () => {
  // A backtracking matcher needs exponential time on these (hours for the longest); ours needs
  // at most pattern length × text length steps. The budget is generous for a loaded CI machine.
  it('10,000 adversarial text/pattern pairs finish within a few seconds in all', async () => {
    const { likeMatches, globMatches } = await import('../src/values/like.js');
    const started = performance.now();
    let matched = 0;
    for (let i = 0; i < 10_000; i++) {
      const n = 20 + (i % 60);
      const value = 'a'.repeat(n);
      const stars = 3 + (i % 8);
      const like = `${'%a'.repeat(stars)}%b`;
      const glob = `${'*a'.repeat(stars)}*b`;
      if (likeMatches(value, like) || globMatches(value, glob)) matched++;
    }
    const seconds = (performance.now() - started) / 1000;
    expect(matched).toBe(0);
    expect(seconds).toBeLessThan(5);
  });

  it('a 3,000-character row against a many-% pattern answers at once, through SQL', async () => {
    await ours.execute('CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT)');
    const body = 'the quick brown fox jumps over the lazy dog '.repeat(70).slice(0, 3000);
    await ours.execute('INSERT INTO docs VALUES (1, ?)', [body]);
    const started = performance.now();
    const rows = (await ours.execute("SELECT id FROM docs WHERE body LIKE '%the%the%the%the%missing%' OR body GLOB '*the*the*the*the*missing*'")).rows;
    expect(rows).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(Number(lite.prepare("SELECT ? LIKE '%the%the%the%the%missing%'").raw(true).get(body)![0])).toBe(0);
  });
});
