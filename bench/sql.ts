// @sochdb/sql beside better-sqlite3 (file-backed, default settings), same schema and data in one run:
// 100k-row insert in one transaction, PK point select, indexed range select,
// join 10k→100k on a key + GROUP BY (also right after a write to its table, when the row cache is refilled),
// and a full-table GROUP BY.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { keyRange, LevelStorage } from '@sochdb/core';
import { SqlEngine } from '@sochdb/sql';
import { formatRate, opsPerSecond, percent, printTable, size } from './lib/table.js';

interface SqliteStatement {
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  raw(on?: boolean): SqliteStatement;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  transaction(fn: () => void): () => void;
  close(): void;
}
const require = createRequire(import.meta.url);
const BetterSqlite = require('better-sqlite3') as new (file: string) => SqliteDatabase;

const SCHEMA = [
  'CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, region TEXT)',
  'CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, amount REAL, status TEXT)',
];
const STATUSES = ['new', 'paid', 'shipped', 'returned'];
const REGIONS = ['north', 'south', 'east', 'west', 'central'];

export default async function run(): Promise<void> {
  const customers = size(10_000, 1_000);
  const orders = size(100_000, 10_000);
  const points = size(20_000, 2_000);
  const ranges = size(2_000, 200);
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-bench-sql-'));
  const storage = await LevelStorage.open(join(dir, 'sochdb'));
  const sql = new SqlEngine(storage);
  const lite = new BetterSqlite(join(dir, 'sqlite.db'));
  try {
    for (const s of SCHEMA) {
      await sql.execute(s);
      lite.exec(s);
    }
    const order = (i: number) => [i, 1 + ((i * 7919) % customers), Math.round(((i * 37) % 100_000) * 0.37 * 100) / 100, STATUSES[i % 4]!] as const;
    const customer = (i: number) => [i, `customer ${i}`, REGIONS[i % 5]!] as const;

    const rows: string[][] = [];
    const add = (name: string, ours: number, theirs: number, target: string) =>
      rows.push([name, formatRate(ours), formatRate(theirs), percent(ours, theirs), target]);

    // Warm-up, both engines alike: 20k rows into a scratch table first, so the JIT has compiled our
    // insert path before it is timed (SQLite, native code, gains nothing but is treated the same).
    const warmupTable = 'CREATE TABLE warmup (id INTEGER PRIMARY KEY, customer_id INTEGER, amount REAL, status TEXT)';
    await sql.execute(warmupTable);
    lite.exec(warmupTable);
    const warm = size(20_000, 2_000);
    const warmTxn = storage.beginTransaction();
    for (let i = 1; i <= warm; i++) await sql.execute('INSERT INTO warmup VALUES (?, ?, ?, ?)', order(i), { txn: warmTxn });
    await warmTxn.commit();
    const liteWarm = lite.prepare('INSERT INTO warmup VALUES (?, ?, ?, ?)');
    lite.transaction(() => {
      for (let i = 1; i <= warm; i++) liteWarm.run(...order(i));
    })();

    // Inserts: one transaction each.
    const insertOurs = await opsPerSecond(orders, async () => {
      const txn = storage.beginTransaction();
      for (let i = 1; i <= orders; i++) await sql.execute('INSERT INTO orders VALUES (?, ?, ?, ?)', order(i), { txn });
      await txn.commit();
    });
    const liteInsert = lite.prepare('INSERT INTO orders VALUES (?, ?, ?, ?)');
    const insertTheirs = await opsPerSecond(orders, () =>
      lite.transaction(() => {
        for (let i = 1; i <= orders; i++) liteInsert.run(...order(i));
      })(),
    );
    add(`insert ${orders} rows, one transaction, one INSERT per row (rows/s)`, insertOurs, insertTheirs, '≥ 25%');

    // The floor under any insert on LevelDB: the same row keys and values our engine just wrote,
    // written by raw classic-level in one chained batch (no SQL, no transaction, no log), beside
    // the same SQLite figure.
    const written: (readonly [Buffer, Buffer])[] = [];
    for await (const entry of storage.iterator(keyRange(['sql', 'default', 'r', 'orders']))) written.push(entry);
    const raw = new ClassicLevel<Buffer, Buffer>(join(dir, 'raw'), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await raw.open();
    const rawInsert = await opsPerSecond(written.length, async () => {
      const batch = raw.batch();
      for (const [k, v] of written) batch.put(k, v);
      await batch.write();
    });
    await raw.close();
    add(`raw classic-level: the same ${written.length} row keys and values in one batch (rows/s)`, rawInsert, insertTheirs, '—');

    // The same rows again into a twin table, 500 rows per INSERT statement.
    await sql.execute('CREATE TABLE orders2 (id INTEGER PRIMARY KEY, customer_id INTEGER, amount REAL, status TEXT)');
    lite.exec('CREATE TABLE orders2 (id INTEGER PRIMARY KEY, customer_id INTEGER, amount REAL, status TEXT)');
    const multi = `INSERT INTO orders2 VALUES ${Array.from({ length: 500 }, () => '(?, ?, ?, ?)').join(', ')}`;
    const chunk = (start: number) => Array.from({ length: 500 }, (_, k) => order(start + k)).flat();
    const multiOurs = await opsPerSecond(orders, async () => {
      const t = storage.beginTransaction();
      for (let i = 1; i <= orders; i += 500) await sql.execute(multi, chunk(i), { txn: t });
      await t.commit();
    });
    const liteMulti = lite.prepare(multi);
    const multiTheirs = await opsPerSecond(orders, () =>
      lite.transaction(() => {
        for (let i = 1; i <= orders; i += 500) liteMulti.run(...chunk(i));
      })(),
    );
    add(`insert ${orders} rows, one transaction, 500 rows per INSERT (rows/s)`, multiOurs, multiTheirs, '—');

    const txn = storage.beginTransaction();
    for (let i = 1; i <= customers; i++) await sql.execute('INSERT INTO customers VALUES (?, ?, ?)', customer(i), { txn });
    await txn.commit();
    const liteCustomer = lite.prepare('INSERT INTO customers VALUES (?, ?, ?)');
    lite.transaction(() => {
      for (let i = 1; i <= customers; i++) liteCustomer.run(...customer(i));
    })();
    await sql.execute('CREATE INDEX orders_amount ON orders (amount)');
    lite.exec('CREATE INDEX orders_amount ON orders (amount)');

    const pointSql = 'SELECT * FROM orders WHERE id = ?';
    const pointOurs = await opsPerSecond(points, async () => {
      for (let i = 0; i < points; i++) await sql.execute(pointSql, [1 + ((i * 104_729) % orders)]);
    });
    const litePoint = lite.prepare(pointSql);
    const pointTheirs = await opsPerSecond(points, () => {
      for (let i = 0; i < points; i++) litePoint.all(1 + ((i * 104_729) % orders));
    });
    add('PK point select (queries/s)', pointOurs, pointTheirs, '≥ 50%');

    const rangeSql = 'SELECT id, amount FROM orders WHERE amount BETWEEN ? AND ?';
    const liteRange = lite.prepare(rangeSql);
    // The first searches, timed on their own row: ours read storage until about 1,000 rows have
    // been read that way, then load the whole table into the row cache and sort it in the
    // index's order (a one-off cost, paid again only after many writes); SQLite's pages are warm
    // from the inserts. They also warm both engines for the timed row after them.
    const firstSearches = size(50, 20);
    const firstOurs = await opsPerSecond(firstSearches, async () => {
      for (let i = 0; i < firstSearches; i++) await sql.execute(rangeSql, [i * 10, i * 10 + 40]);
    });
    const firstTheirs = await opsPerSecond(firstSearches, () => {
      for (let i = 0; i < firstSearches; i++) liteRange.all(i * 10, i * 10 + 40);
    });
    const rangeOurs = await opsPerSecond(ranges, async () => {
      for (let i = 0; i < ranges; i++) await sql.execute(rangeSql, [i * 10, i * 10 + 40]);
    });
    const rangeTheirs = await opsPerSecond(ranges, () => {
      for (let i = 0; i < ranges; i++) liteRange.all(i * 10, i * 10 + 40);
    });
    const sample = Array.from({ length: 50 }, (_, i) => liteRange.all(i * 10, i * 10 + 40).length);
    const perQuery = Math.round(sample.reduce((a, b) => a + b, 0) / sample.length);
    add(`indexed range select, first ${firstSearches} queries on the table (queries/s)`, firstOurs, firstTheirs, '—');
    add(`indexed range select, ~${perQuery} rows each (queries/s)`, rangeOurs, rangeTheirs, '≥ 50%');

    const joinSql = 'SELECT c.region, count(*) AS n, sum(o.amount) AS total FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.region';
    const reps = size(5, 2);
    // One untimed run each first (as for the inserts): ours fills its row cache, SQLite its page
    // cache. The row after this one shows the cold case, a LevelDB read on every run.
    await sql.execute(joinSql);
    lite.prepare(joinSql).all();
    const joinOurs = await opsPerSecond(reps, async () => {
      for (let i = 0; i < reps; i++) await sql.execute(joinSql);
    });
    const liteJoin = lite.prepare(joinSql);
    const joinTheirs = await opsPerSecond(reps, () => {
      for (let i = 0; i < reps; i++) liteJoin.all();
    });
    add(`join ${customers}→${orders} + GROUP BY, warm (queries/s)`, joinOurs, joinTheirs, '≥ 33%');

    // The same join, each run right after a write to orders: the row cache drops that table, so
    // every run reads its 100k rows from LevelDB again (customers stays cached). Writes elsewhere
    // (other tables, other keys) keep the cache, as the second row shows.
    const coldOurs = await opsPerSecond(reps, async () => {
      for (let i = 0; i < reps; i++) {
        await sql.execute('UPDATE orders SET status = status WHERE id = ?', [1 + i]);
        await sql.execute(joinSql);
      }
    });
    add(`join ${customers}→${orders} + GROUP BY, each right after an UPDATE of orders (queries/s)`, coldOurs, joinTheirs, '—');
    const otherOurs = await opsPerSecond(reps, async () => {
      for (let i = 0; i < reps; i++) {
        await storage.put('bench/touch', String(i));
        await sql.execute(joinSql);
      }
    });
    add(`join ${customers}→${orders} + GROUP BY, each right after a write elsewhere (queries/s)`, otherOurs, joinTheirs, '—');

    const groupSql = 'SELECT status, count(*) AS n, avg(amount) AS mean FROM orders GROUP BY status';
    const groupOurs = await opsPerSecond(reps, async () => {
      for (let i = 0; i < reps; i++) await sql.execute(groupSql);
    });
    const liteGroup = lite.prepare(groupSql);
    const groupTheirs = await opsPerSecond(reps, () => {
      for (let i = 0; i < reps; i++) liteGroup.all();
    });
    add(`full-table GROUP BY over ${orders} rows (queries/s)`, groupOurs, groupTheirs, '—');

    // SQL applications send: a recursive CTE, a window over the whole table, a JSON filter. Each
    // answer is checked against SQLite's before its rate counts.
    const same = async (label: string, query: string, params: readonly unknown[] = []) => {
      const a = (await sql.execute(query, params, { rowMode: 'array' })).rows.map((r) => r.map(String).join('|')).join('\n');
      const b = (
        lite
          .prepare(query)
          .raw(true)
          .all(...params) as unknown[][]
      )
        .map((r) => r.map(String).join('|'))
        .join('\n');
      if (a !== b) throw new Error(`sql bench: ${label} differs from SQLite:\n${a.slice(0, 200)}\n${b.slice(0, 200)}`);
    };
    const heavy = size(5, 2);
    const cteSql = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000) SELECT sum(x) FROM c';
    await same('recursive CTE', cteSql);
    const liteCte = lite.prepare(cteSql);
    add(
      'recursive CTE of 10,000 rows + sum (queries/s)',
      await opsPerSecond(heavy * 4, async () => {
        for (let i = 0; i < heavy * 4; i++) await sql.execute(cteSql);
      }),
      await opsPerSecond(heavy * 4, () => {
        for (let i = 0; i < heavy * 4; i++) liteCte.all();
      }),
      '—',
    );
    const windowSql = 'SELECT count(*), sum(rn) FROM (SELECT row_number() OVER (PARTITION BY customer_id ORDER BY amount, id) AS rn FROM orders)';
    await same('row_number()', windowSql);
    const liteWindow = lite.prepare(windowSql);
    add(
      `row_number() OVER (PARTITION BY …) over ${orders} rows (queries/s)`,
      await opsPerSecond(heavy, async () => {
        for (let i = 0; i < heavy; i++) await sql.execute(windowSql);
      }),
      await opsPerSecond(heavy, () => {
        for (let i = 0; i < heavy; i++) liteWindow.all();
      }),
      '—',
    );
    const docsTable = 'CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT)';
    await sql.execute(docsTable);
    lite.exec(docsTable);
    const doc = (i: number) => [i, JSON.stringify({ a: i % 100, tag: STATUSES[i % 4], nested: { depth: i % 7 } })] as const;
    for (let i = 1; i <= orders; i += 1_000) {
      const txn = storage.beginTransaction();
      for (let j = i; j < Math.min(i + 1_000, orders + 1); j++) await sql.execute('INSERT INTO docs VALUES (?, ?)', doc(j), { txn });
      await txn.commit();
    }
    const liteDoc = lite.prepare('INSERT INTO docs VALUES (?, ?)');
    lite.exec('BEGIN');
    for (let i = 1; i <= orders; i++) liteDoc.run(...doc(i));
    lite.exec('COMMIT');
    const jsonSql = "SELECT count(*) FROM docs WHERE json_extract(body, '$.a') = ?";
    await same('json_extract filter', jsonSql, [42]);
    const liteJson = lite.prepare(jsonSql);
    add(
      `json_extract(body, '$.a') = ? over ${orders} rows (queries/s)`,
      await opsPerSecond(heavy, async () => {
        for (let i = 0; i < heavy; i++) await sql.execute(jsonSql, [i % 100]);
      }),
      await opsPerSecond(heavy, () => {
        for (let i = 0; i < heavy; i++) liteJson.all(i % 100);
      }),
      '—',
    );

    // Ad-hoc SQL: 1,000 distinct statements (literals inline, so no statement cache helps), each
    // parsed and planned but not run: explain() on ours, prepare() on SQLite.
    const adhoc = Array.from(
      { length: size(1_000, 200) },
      (_, i) =>
        `SELECT c.region, count(*) AS n, sum(o.amount) AS total FROM customers c JOIN orders o ON o.customer_id = c.id ` +
        `WHERE o.amount > ${i} AND c.region = '${REGIONS[i % 5]}' AND o.status IN ('paid', 'shipped') GROUP BY c.region ORDER BY 2 DESC LIMIT ${1 + (i % 10)}`,
    );
    const adhocOurs = await opsPerSecond(adhoc.length, async () => {
      for (const s of adhoc) await sql.explain(s);
    });
    const adhocTheirs = await opsPerSecond(adhoc.length, () => {
      for (const s of adhoc) lite.prepare(s);
    });
    add(`parse + plan ${adhoc.length} distinct ad-hoc statements (statements/s)`, adhocOurs, adhocTheirs, '—');

    // Same answers from both engines, or the figures mean nothing.
    const ours = (await sql.execute(joinSql + ' ORDER BY 1', [], { rowMode: 'array' })).rows;
    const theirs = lite.prepare(joinSql + ' ORDER BY 1').all() as Record<string, unknown>[];
    if (ours.length !== theirs.length || ours.some((r, i) => r[1] !== theirs[i]!['n'])) throw new Error('sql bench: join results differ from SQLite');

    printTable(['operation', '@sochdb/sql', 'better-sqlite3', 'ours / theirs', 'target'], rows);
  } finally {
    lite.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
