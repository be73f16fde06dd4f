// Real SQLite (better-sqlite3, which ships no types here) as the oracle for parser tests.
import { createRequire } from 'node:module';

interface Statement {
  safeIntegers(on?: boolean): Statement;
  raw(on?: boolean): Statement;
  get(...params: unknown[]): unknown[] | undefined;
  all(...params: unknown[]): unknown[][];
}
interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  close(): void;
}

const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => Database;
const db = new Database(':memory:');

/** The value of `SELECT <expr>` in SQLite (INTEGER as bigint), or `error` when SQLite rejects it. */
export function sqliteValue(expr: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string } {
  try {
    const row = db.prepare(`SELECT ${expr}`).safeIntegers(true).raw(true).get();
    return { ok: true, value: row?.[0] };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The rows of `query` in a fresh database after running `setup`. */
export function sqliteRows(setup: readonly string[], query: string): unknown[][] {
  const fresh = new Database(':memory:');
  try {
    for (const sql of setup) fresh.exec(sql);
    return fresh.prepare(query).safeIntegers(true).raw(true).all();
  } finally {
    fresh.close();
  }
}
