// The table export's paging, in-process on a real LevelDB folder (the CLI runs it the same way):
// every row exactly once, in key order where there is a key, across page boundaries, for every
// kind of primary key — one column, several columns, DESC, a key column holding several kinds of
// value (paged by OFFSET, since its storage order is not SQL's), and no declared key at all.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTempDir } from '@sochdb/core/testing';
import { Database } from '@sochdb/sdk';
import { exportTable } from '../src/export-table.js';
import type { LineSink } from '../src/output.js';

let dir: ReturnType<typeof makeTempDir>;
let db: Database;
const N = 2300; // more than two pages of 1,000

beforeAll(async () => {
  dir = makeTempDir('sochdb-cli-paging-');
  db = await Database.open(join(dir.path, 'db'));
  await db.execute(`
    CREATE TABLE one (id INTEGER PRIMARY KEY, v INTEGER);
    CREATE TABLE two (k TEXT, n INTEGER, v INTEGER, PRIMARY KEY (k, n));
    CREATE TABLE down (k TEXT, n INTEGER, v INTEGER, PRIMARY KEY (k DESC, n));
    CREATE TABLE mixed (k, v INTEGER, PRIMARY KEY (k));
    CREATE TABLE reals (k REAL PRIMARY KEY, v INTEGER);
    CREATE TABLE keyless (a TEXT, v INTEGER);
  `);
  await db.transaction(async (txn) => {
    for (let i = 0; i < N; i++) {
      await txn.execute('INSERT INTO one VALUES (?, ?)', [i * 3, i]);
      await txn.execute('INSERT INTO two VALUES (?, ?, ?)', [`k${i % 3}`, i, i]);
      await txn.execute('INSERT INTO down VALUES (?, ?, ?)', [`k${i % 4}`, i, i]);
      await txn.execute('INSERT INTO mixed VALUES (?, ?)', [i % 3 === 0 ? i : i % 3 === 1 ? `t${i}` : Buffer.from([i & 255, i >> 8]), i]);
      await txn.execute('INSERT INTO reals VALUES (?, ?)', [i % 2 ? i / 2 : -i * 3, i]);
      await txn.execute('INSERT INTO keyless VALUES (?, ?)', [`a${i % 10}`, i]);
    }
  });
});
afterAll(async () => {
  await db.close();
  dir.cleanup();
});

/** Exports `table` as JSON Lines into memory; returns the parsed lines. */
async function exported(table: string): Promise<Record<string, unknown>[]> {
  let text = '';
  const sink: LineSink = { write: async (chunk) => void (text += chunk), close: async () => undefined };
  const rows = await exportTable(db, table, 'jsonl', sink, () => undefined);
  const lines = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines).toHaveLength(rows);
  return lines;
}

it.each(['one', 'two', 'down', 'mixed', 'reals', 'keyless'])('exports every row of %s exactly once', async (table) => {
  const lines = await exported(table);
  expect(lines.map((l) => l['v']).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: N }, (_, i) => i));
});

it('exports keyed tables in primary-key order', async () => {
  expect((await exported('one')).map((l) => l['id'])).toEqual(Array.from({ length: N }, (_, i) => i * 3));
  const two = (await exported('two')).map((l) => [l['k'], l['n']]);
  const sorted = [...two].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
  expect(two).toEqual(sorted);
  const reals = (await exported('reals')).map((l) => l['k'] as number);
  expect(reals).toEqual([...reals].sort((a, b) => a - b));
});
