// Conformance tests in the sqllogictest style: test/slt/*.slt hold `statement ok`,
// `statement error <text>` and `query` records with their expected rows (values joined by '|',
// NULL as NULL). Expected rows were written to match SQLite's answers.
import { inspect } from 'node:util';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SochDBError } from '@sochdb/core';
import { BetterSqlite, openEngine } from './helpers.js';

interface SltRecord {
  readonly line: number;
  readonly kind: 'ok' | 'error' | 'query';
  readonly sql: string;
  readonly expected: string;
  readonly sorted: boolean;
}

function parseSlt(text: string): SltRecord[] {
  const records: SltRecord[] = [];
  const blocks = text.split(/\n\s*\n/);
  let line = 1;
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => !l.startsWith('#'));
    const start = line;
    line += block.split('\n').length + 1;
    if (lines.length === 0 || lines.every((l) => l.trim() === '')) continue;
    const head = lines[0]!.trim();
    if (head === 'statement ok') records.push({ line: start, kind: 'ok', sql: lines.slice(1).join('\n'), expected: '', sorted: false });
    else if (head.startsWith('statement error'))
      records.push({ line: start, kind: 'error', sql: lines.slice(1).join('\n'), expected: head.slice('statement error'.length).trim(), sorted: false });
    else if (head.startsWith('query')) {
      const sep = lines.indexOf('----');
      records.push({
        line: start,
        kind: 'query',
        sql: lines.slice(1, sep < 0 ? undefined : sep).join('\n'),
        expected:
          sep < 0
            ? ''
            : lines
                .slice(sep + 1)
                .join('\n')
                .trimEnd(),
        sorted: head.includes('rowsort'),
      });
    } else throw new Error(`bad slt record at line ${start}: ${head}`);
  }
  return records;
}

function format(v: unknown): string {
  if (v === null) return 'NULL';
  if (Buffer.isBuffer(v)) return `x'${v.toString('hex')}'`;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : inspect(v);
}

const dir = join(import.meta.dirname, 'slt');
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("the expected answers are SQLite's", () => {
  // The same files run on SQLite (foreign keys on): every expectation, error text included, is its answer.
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.slt'))
    .sort()) {
    it(file, () => {
      const lite = new BetterSqlite(':memory:');
      lite.pragma('foreign_keys = ON');
      try {
        for (const r of parseSlt(readFileSync(join(dir, file), 'utf8'))) {
          const where = `${file}:${r.line}: ${r.sql}`;
          if (r.kind === 'ok') lite.exec(r.sql);
          else if (r.kind === 'error') expect(() => lite.exec(r.sql), where).toThrow(r.expected);
          else {
            let lines = (lite.prepare(r.sql).raw(true).all() as unknown[][]).map((row) => row.map(format).join('|'));
            if (r.sorted) lines = lines.sort();
            expect(lines.join('\n'), where).toBe(r.expected);
          }
        }
      } finally {
        lite.close();
      }
    });
  }
});

describe('sqllogictest conformance', () => {
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.slt'))
    .sort()) {
    it(file, async () => {
      const db = await openEngine();
      close = db.close;
      for (const r of parseSlt(readFileSync(join(dir, file), 'utf8'))) {
        const where = `${file}:${r.line}: ${r.sql}`;
        if (r.kind === 'ok') {
          await db.sql.execute(r.sql).catch((e: unknown) => {
            throw new Error(`${where}\n  failed: ${(e as Error).message}`);
          });
        } else if (r.kind === 'error') {
          const error = await db.sql.execute(r.sql).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error, `${where} should fail`).toBeInstanceOf(SochDBError);
          expect((error as Error).message, where).toContain(r.expected);
        } else {
          const res = await db.sql.execute(r.sql, [], { rowMode: 'array' }).catch((e: unknown) => {
            throw new Error(`${where}\n  failed: ${(e as Error).message}`);
          });
          let lines = res.rows.map((row) => row.map(format).join('|'));
          if (r.sorted) lines = lines.sort();
          expect(lines.join('\n'), where).toBe(r.expected);
        }
      }
    });
  }
});
