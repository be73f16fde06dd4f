// Database.open's `sql` option: the SQL engine's row cache sized (or turned off) by the caller,
// checked when the database is opened, and reported by stats().
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '@sochdb/core/testing';
import { Database, ValidationError } from '@sochdb/sdk';

/** Opens `:memory:` with `options`, fills table t with `rows` rows, scans it twice; returns stats().rowCache. */
async function rowCacheAfterScans(rows: number, options?: Parameters<typeof Database.open>[1]) {
  const db = await Database.open(':memory:', options);
  try {
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    await db.transaction(async (txn) => {
      for (let i = 0; i < rows; i++) await txn.execute('INSERT INTO t VALUES (?, ?)', [i, `v${i}`]);
    });
    for (let i = 0; i < 2; i++) expect((await db.execute('SELECT count(*) AS n FROM (SELECT * FROM t)')).rows[0]).toEqual({ n: rows });
    return (await db.stats()).rowCache;
  } finally {
    await db.close();
  }
}

describe('Database.open({ sql })', () => {
  it('keeps scanned tables in the row cache by default, and none with rowCacheRows: 0', async () => {
    const byDefault = await rowCacheAfterScans(100);
    expect(byDefault).toMatchObject({ tables: 1, rows: 100 });
    expect(byDefault.hits).toBeGreaterThan(0);
    expect(await rowCacheAfterScans(100, { sql: { rowCacheRows: 0 } })).toEqual({ hits: 0, misses: 0, tables: 0, rows: 0 });
  });

  it('keeps at most rowCacheRows rows', async () => {
    expect(await rowCacheAfterScans(30, { sql: { rowCacheRows: 50 } })).toMatchObject({ tables: 1, rows: 30 });
    // A table larger than the bound is read from storage every time, never kept.
    const tooBig = await rowCacheAfterScans(100, { sql: { rowCacheRows: 50 } });
    expect(tooBig).toMatchObject({ tables: 0, rows: 0, hits: 0 });
    expect(tooBig.misses).toBeGreaterThan(0);
  });

  it.each([
    [{ rowCacheRows: -1 }, 'sql.rowCacheRows'],
    [{ rowCacheRows: 1.5 }, 'sql.rowCacheRows'],
    [{ rowCacheRows: '10' }, 'sql.rowCacheRows'],
    [{ rowCache: 10 }, 'sql.rowCache'],
    [5, 'sql'],
    [null, 'sql'],
  ])('rejects sql: %j with a ValidationError on field %s, before creating anything', async (sql, field) => {
    const dir = makeTempDir('sochdb-sql-options-');
    try {
      const folder = join(dir.path, 'db');
      const open = Database.open(folder, { sql } as unknown as Parameters<typeof Database.open>[1]);
      await expect(open).rejects.toBeInstanceOf(ValidationError);
      await expect(open).rejects.toMatchObject({ field });
      expect(existsSync(folder)).toBe(false);
    } finally {
      dir.cleanup();
    }
  });

  it('checks sql for a postgres:// URL too, before connecting', async () => {
    // Nothing listens on port 1: only a check made before connecting can answer with this error.
    await expect(Database.open('postgres://u:p@127.0.0.1:1/db', { sql: { rowCacheRows: -1 } })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'sql.rowCacheRows',
    });
  });

  it('passes a folder database the LevelDB options beside sql', async () => {
    const dir = makeTempDir('sochdb-sql-options-');
    try {
      const db = await Database.open(join(dir.path, 'db'), { syncMode: 'off', sql: { rowCacheRows: 0 } });
      await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      await db.execute('INSERT INTO t VALUES (1), (2)');
      expect((await db.execute('SELECT * FROM t')).rows).toEqual([{ id: 1 }, { id: 2 }]);
      expect((await db.stats()).rowCache.rows).toBe(0);
      await db.close();
    } finally {
      dir.cleanup();
    }
  });
});
