// PRAGMA table_info answers as SQLite (better-sqlite3) does on the same schema; other PRAGMAs are
// refused with a QueryError rather than silently accepted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QueryError } from '@sochdb/core';
import type { SqlEngine } from '@sochdb/sql';
import { BetterSqlite, openEngine, type SqliteDatabase } from './helpers.js';

const SCHEMA = [
  "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email VARCHAR(255) UNIQUE, age int DEFAULT 0, score REAL DEFAULT 1.5, note TEXT DEFAULT 'none', created TEXT DEFAULT CURRENT_TIMESTAMP, blob_col BLOB, untyped, nick varchar(10), neg REAL DEFAULT -2.5, expr INTEGER DEFAULT (1 + 2))",
  'CREATE TABLE pairs (a TEXT, b INTEGER NOT NULL DEFAULT -1, c, PRIMARY KEY (b, a))',
  'CREATE TABLE "Mixed Case" ("Col One" TEXT DEFAULT NULL, [two] NUMERIC)',
  'CREATE TABLE auto (id INTEGER PRIMARY KEY AUTOINCREMENT, v DOUBLE PRECISION)',
];

let engine: { sql: SqlEngine; close(): Promise<void> };
let sqlite: SqliteDatabase;
beforeAll(async () => {
  const opened = await openEngine();
  engine = { sql: opened.sql, close: async () => opened.storage.close() };
  sqlite = new BetterSqlite(':memory:');
  for (const statement of SCHEMA) {
    sqlite.exec(statement);
    await engine.sql.execute(statement);
  }
});
afterAll(async () => {
  sqlite.close();
  await engine.close();
});

const ours = async (statement: string) => (await engine.sql.execute(statement, undefined, { rowMode: 'object' })).rows.map((row) => ({ ...row }));
const theirs = (statement: string) => sqlite.prepare(statement).all() as Record<string, unknown>[];

it.each(['users', 'pairs', '"Mixed Case"', 'auto', 'missing', 'USERS'])('PRAGMA table_info(%s) as SQLite', async (table) => {
  const statement = `PRAGMA table_info(${table})`;
  const expected = theirs(statement);
  const actual = (await ours(statement)).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  expect(actual).toEqual(expected);
});

it('follows schema changes, and refuses other PRAGMAs with a QueryError', async () => {
  await engine.sql.execute("ALTER TABLE auto ADD COLUMN extra TEXT DEFAULT 'x'");
  sqlite.exec("ALTER TABLE auto ADD COLUMN extra TEXT DEFAULT 'x'");
  expect((await ours('PRAGMA main.table_info(auto)')).map((r) => r['name'])).toEqual(theirs('PRAGMA main.table_info(auto)').map((r) => r['name']));
  await expect(engine.sql.execute('PRAGMA journal_mode = WAL')).rejects.toBeInstanceOf(QueryError);
  await expect(engine.sql.execute('PRAGMA nowhere.table_info(auto)')).rejects.toMatchObject({ code: 5001 });
});
