// Several processes on one folder (concurrent mode): DDL committed by one process is seen by the
// others' next statement, and a write planned under the old schema conflicts, so no index is ever
// left wrong on disk (each process keeps its own schema cache).
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Database } from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';
import { repl } from './repl.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

it("an index created by one process is maintained by another's next write; a racing write conflicts", async () => {
  const dir = makeTempDir('sochdb-conc-schema-');
  const path = join(dir.path, 'db');
  const owner = await Database.openConcurrent(path, { syncMode: 'off' });
  const b = repl(path);
  const c = repl(path);
  cleanup = async () => {
    await b.close();
    await c.close();
    await owner.close();
    dir.cleanup();
  };
  await owner.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)');
  await owner.execute('INSERT INTO t VALUES (1, 5)');
  // B reads t (and caches its schema); the owner adds an index; B writes.
  expect(await b.send({ sql: 'SELECT * FROM t' })).toEqual({ rows: [{ id: 1, v: 5 }] });
  await owner.execute('CREATE INDEX t_v ON t (v)');
  expect(await b.send({ sql: 'INSERT INTO t VALUES (2, 5)' })).toEqual({ rows: [] });
  // The race: B plans an insert in a transaction, the owner adds another index, B commits.
  await b.send({ begin: true });
  expect(await b.send({ txn: 'INSERT INTO t VALUES (3, 5)' })).toEqual({ rows: [] });
  await owner.execute('CREATE INDEX t_v_id ON t (v, id)');
  const late = await b.send({ commit: true });
  expect(late.error?.code, JSON.stringify(late)).toBe(2002);
  expect(await b.send({ sql: 'INSERT INTO t VALUES (3, 5)' })).toEqual({ rows: [] });
  // Every process, the owner and a third one that never saw the old schema, answers alike
  // through each index and without one.
  for (const v of [5]) {
    const viaIndex = (await owner.execute(`SELECT id FROM t WHERE v = ${v} ORDER BY id`)).rows;
    expect(viaIndex).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect((await owner.execute(`SELECT id FROM t WHERE v + 0 = ${v} ORDER BY id`)).rows).toEqual(viaIndex);
    expect((await owner.execute(`SELECT id FROM t INDEXED BY t_v_id WHERE v = ${v} ORDER BY id`)).rows).toEqual(viaIndex);
    expect(await c.send({ sql: `SELECT id FROM t WHERE v = ${v} ORDER BY id` })).toEqual({ rows: viaIndex });
    expect(await b.send({ sql: `SELECT id FROM t INDEXED BY t_v WHERE v = ${v} ORDER BY id` })).toEqual({ rows: viaIndex });
  }
  // Schema changes the other way round: a column B adds is seen by the owner at once.
  await b.send({ sql: "ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'x'" });
  expect((await owner.execute('SELECT note FROM t WHERE id = 1')).rows).toEqual([{ note: 'x' }]);
  expect(await c.send({ sql: "SELECT count(*) AS n FROM t WHERE note = 'x'" })).toEqual({ rows: [{ n: 3 }] });
}, 60_000);
