// 'now' cannot be in the .slt files (its answer changes); these check what SQLite promises of it:
// one instant for a whole statement, every spelling of it agreeing, and that instant being the
// wall clock's when the statement ran.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '@sochdb/sql';
import { openEngine } from './helpers.js';

let sql: SqlEngine;
let close: () => Promise<void>;
beforeAll(async () => {
  const db = await openEngine();
  sql = db.sql;
  close = db.close;
});
afterAll(async () => close());

const ROWS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)';

async function one(query: string): Promise<unknown> {
  return (await sql.execute(query, [], { rowMode: 'array' })).rows[0]![0];
}

describe("'now'", () => {
  it('is one instant for a whole statement, over many rows', async () => {
    // 20,000 rows take long enough that a clock read per call would tick over.
    const n = await one(`${ROWS} SELECT count(DISTINCT strftime('%Y-%m-%d %H:%M:%f', 'now') || unixepoch('now', 'subsec') || julianday('now')) FROM c`);
    expect(n).toBe(1);
    const differing = await one(`${ROWS} SELECT count(*) FROM c WHERE datetime('now', 'subsec') <> (SELECT datetime('now', 'subsec'))`);
    expect(differing).toBe(0);
  });

  it("is the firing statement's instant inside its triggers too", async () => {
    await sql.execute('CREATE TABLE stamped (x INTEGER, at TEXT)');
    await sql.execute('CREATE TABLE stamp_log (x INTEGER, at TEXT)');
    await sql.execute(
      "CREATE TRIGGER stamp_copy AFTER INSERT ON stamped BEGIN INSERT INTO stamp_log VALUES (new.x, strftime('%Y-%m-%d %H:%M:%f', 'now')); END",
    );
    await sql.execute(`INSERT INTO stamped ${ROWS} SELECT x, strftime('%Y-%m-%d %H:%M:%f', 'now') FROM c WHERE x <= 5000`);
    expect(await one('SELECT count(DISTINCT at) FROM (SELECT at FROM stamped UNION ALL SELECT at FROM stamp_log)')).toBe(1);
    expect(await one('SELECT count(*) FROM stamp_log')).toBe(5000);
  });

  it('is the same for every spelling of it in the statement', async () => {
    const row = (
      await sql.execute(
        `SELECT datetime('now') = CURRENT_TIMESTAMP, date('now') = CURRENT_DATE, time('now') = CURRENT_TIME,
                datetime() = datetime('now'), date() = date('NOW'), julianday() = julianday('now'),
                datetime('subsec') = datetime('now', 'subsec'), unixepoch() = unixepoch('now'),
                strftime('%s') = strftime('%s', 'now')`,
        [],
        { rowMode: 'array' },
      )
    ).rows[0];
    expect(row).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('is the wall clock of the moment the statement ran', async () => {
    const before = Date.now();
    const [ms, ts, date] = (await sql.execute(`SELECT unixepoch('now', 'subsec') * 1000, CURRENT_TIMESTAMP, date('now')`, [], { rowMode: 'array' }))
      .rows[0] as [number, string, string];
    const after = Date.now();
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
    expect(new Date(`${ts.replace(' ', 'T')}Z`).getTime()).toBe(Math.floor(ms / 1000) * 1000);
    expect(date).toBe(new Date(ms).toISOString().slice(0, 10));
  });

  it('moves on between statements', async () => {
    const first = (await one(`SELECT unixepoch('now', 'subsec')`)) as number;
    await new Promise((resolve) => setTimeout(resolve, 15));
    const second = (await one(`SELECT unixepoch('now', 'subsec')`)) as number;
    expect(second).toBeGreaterThan(first);
  });

  it('gives every row of one INSERT the same default timestamp', async () => {
    await sql.execute(
      `CREATE TABLE log (id INTEGER PRIMARY KEY, at TEXT DEFAULT CURRENT_TIMESTAMP, precise TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')), n INTEGER)`,
    );
    await sql.execute(`INSERT INTO log (n) ${ROWS.replace('20000', '5000')} SELECT x FROM c`);
    const row = (
      await sql.execute(`SELECT count(*), count(DISTINCT at), count(DISTINCT precise), min(precise) = max(precise) FROM log`, [], { rowMode: 'array' })
    ).rows[0];
    expect(row).toEqual([5000, 1, 1, 1]);
  });

  it('round-trips through localtime and utc', async () => {
    const same = await one(`SELECT datetime('now', 'localtime', 'utc') = datetime('now')`);
    expect(same).toBe(1);
  });
});
