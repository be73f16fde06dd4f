// Table export memory: the keyset pages of `sochdb export --table` are repeated key-range
// searches, which make a SQL engine with its default row cache load the whole table into memory
// (up to 250,000 rows). The CLI opens every database with the cache off (CLI_SQL_OPTIONS), so an
// export holds a page at a time. This checks both: that an export through a default-opened
// Database does fill the cache (so the check below measures something), and that through the
// CLI's own open it holds nothing. bench/io-memory.ts measures the resulting RSS on a 1 GB file.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTempDir } from '@sochdb/core/testing';
import { Database } from '@sochdb/sdk';
import { exportTable } from '../src/export-table.js';
import { CLI_SQL_OPTIONS, openDatabase } from '../src/open-database.js';
import type { LineSink } from '../src/output.js';

let dir: ReturnType<typeof makeTempDir>;
const folder = () => join(dir.path, 'db');
const N = 3_000; // three pages of 1,000: enough searches for the engine to load the table whole

beforeAll(async () => {
  dir = makeTempDir('sochdb-cli-export-memory-');
  const db = await Database.open(folder());
  try {
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
    await db.transaction(async (txn) => {
      for (let i = 0; i < N; i++) await txn.execute('INSERT INTO t VALUES (?, ?)', [i, `row ${i}`]);
    });
  } finally {
    await db.close();
  }
});
afterAll(() => dir.cleanup());

/** Exports t from `db` into a sink that keeps only a line count; returns it with the row-cache counters after. */
async function exportThrough(db: Database) {
  let lines = 0;
  const sink: LineSink = { write: async (chunk) => void (lines += chunk.split('\n').length - 1), close: async () => undefined };
  try {
    const rows = await exportTable(db, 't', 'jsonl', sink, () => undefined);
    return { rows, lines, rowCache: (await db.stats()).rowCache };
  } finally {
    await db.close();
  }
}

it('opens every command with the row cache off', () => {
  expect(CLI_SQL_OPTIONS).toEqual({ rowCacheRows: 0 });
});

it('an export through a default-opened Database loads the whole table into the row cache', async () => {
  const { rows, rowCache } = await exportThrough(await Database.open(folder()));
  expect(rows).toBe(N);
  expect(rowCache.rows).toBe(N);
});

it("an export through the CLI's open holds no table in the row cache", async () => {
  const { rows, lines, rowCache } = await exportThrough(await openDatabase(folder()));
  expect(rows).toBe(N);
  expect(lines).toBe(N);
  expect(rowCache).toEqual({ hits: 0, misses: 0, tables: 0, rows: 0 });
});
