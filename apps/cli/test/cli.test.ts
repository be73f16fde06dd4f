// sochdb as a real child process on real LevelDB folders: every command, the round trips through
// export and import, and what a failure leaves behind. Each spawn costs a second or so (tsx
// loading the SDK), so independent runs go in parallel and checks are made in this process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { readNpy, type Database } from '@sochdb/sdk';
import { cli, runWithStdin, withDb } from './helpers.js';

const run = async (...args: string[]) => waitForExit(spawnTs(cli, args));
const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };

let dir: ReturnType<typeof makeTempDir>;
const path = (name: string) => join(dir.path, name);
// The seed database and two copies of it: the CLI holds a folder's lock while it runs, so runs
// that read the same data in parallel read different copies.
const SEED = () => path('seed');
const COPY_B = () => path('seed-b');
const COPY_C = () => path('seed-c');
const T_SCHEMA = 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB, score REAL, big INTEGER)';
const C_SCHEMA = 'CREATE TABLE pairs (k TEXT, n INTEGER, v TEXT, PRIMARY KEY (k, n))';
const N_SCHEMA = 'CREATE TABLE loose (a TEXT, b INTEGER)';
const vectorOf = (i: number) => [1, (i % 37) / 10, (i % 11) / 5];

/** Every row of `table`, as exact values (64-bit integers as bigints), in key order. */
async function rowsOf(db: Database, table: string, orderBy: string) {
  return (await db.execute(`SELECT * FROM ${table} ORDER BY ${orderBy}`, [], { safeIntegers: true })).rows;
}

/** A new database holding only the three empty tables (an import fills existing tables). */
const emptyTables = (folder: string) => withDb(folder, async (db) => void (await db.execute(`${T_SCHEMA}; ${C_SCHEMA}; ${N_SCHEMA}`)));

beforeAll(async () => {
  dir = makeTempDir('sochdb-cli-');
  await withDb(SEED(), async (db) => {
    await db.execute(`${T_SCHEMA}; ${C_SCHEMA}; ${N_SCHEMA}`);
    await db.transaction(async (txn) => {
      // 1,500 rows: more than one page of the keyset export. Text with commas, quotes and a
      // newline, NULL and '' (which CSV must keep apart), bytes, REALs and integers beyond 2^53.
      const insert = txn.prepare('INSERT INTO t (id, name, data, score, big) VALUES (?, ?, ?, ?, ?)');
      for (let i = 1; i <= 1500; i++) {
        const name = i % 7 === 0 ? null : i % 5 === 0 ? '' : i % 3 === 0 ? `say "hi", ${i}\nbye` : `row ${i}`;
        await insert.run(i, name, i % 4 === 0 ? null : Buffer.from([i & 255, 0xff, 0]), i / 8, 9007199254740993n * BigInt(i % 2 ? 1 : -1));
      }
      // A two-column primary key over more than one page: paging continues within k0, then k1, …
      const pair = txn.prepare('INSERT INTO pairs VALUES (?, ?, ?)');
      for (let i = 0; i < 2500; i++) await pair.run(`k${i % 2}`, i, `v${i}`);
      const loose = txn.prepare('INSERT INTO loose VALUES (?, ?)');
      for (let i = 0; i < 30; i++) await loose.run(`a${i}`, i);
    });
    await db.put('users/alice', '{"age":30}');
    await db.put('users/bob', '');
    await db.put(Buffer.from([0x75, 0xff]), Buffer.from([0x00, 0xc3, 0x28]));
    const ns = await db.createNamespace('tenant_a');
    await ns.put('settings/theme', 'dark');
    const docs = await ns.createCollection({ name: 'docs', dimension: 3, metric: 'euclidean' });
    await docs.insertBatch({
      vectors: Array.from({ length: 600 }, (_, i) => vectorOf(i)),
      ids: Array.from({ length: 600 }, (_, i) => `doc_${String(i).padStart(3, '0')}`),
      metadatas: Array.from({ length: 600 }, (_, i) => ({ i, even: i % 2 === 0 })),
      contents: Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? undefined : `text number ${i}`)),
    });
    const emails = db.queue('emails');
    await emails.enqueue({ taskId: 'e1', priority: 1, payload: 'hello', metadata: { to: 'alice' } });
    await emails.enqueue({ taskId: 'e2', priority: 0, payload: Buffer.from([0xff, 0x00]) });
    await emails.enqueue({ taskId: 'e3', priority: 2, payload: 'later', delayMs: 3_600_000 });
    await db.backup(COPY_B());
    await db.backup(COPY_C());
  });
});
afterAll(() => dir.cleanup());

describe('sochdb', () => {
  it('prints its version; refuses a missing database, naming the error code', async () => {
    const [v, stats] = await Promise.all([run('--version'), run('stats', path('missing'), '--json')]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout.trim()).toBe(version);

    // A read-only command does not create the folder it was pointed at.
    expect(stats.code).toBe(1);
    expect(stats.stderr).toMatch(/^sochdb: DatabaseError \(9003\): no database at .*missing/);
    expect(stats.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stats.stdout)).toMatchObject({ error: { name: 'DatabaseError', code: 9003 } });
    expect(existsSync(path('missing'))).toBe(false);
  });

  it('backup then restore gives a copy that answers the same; stats and inspect print JSON', async () => {
    const [backup, inspect, stats] = await Promise.all([
      run('backup', SEED(), path('backup'), '--json'),
      run('inspect', COPY_B(), '--json'),
      run('stats', COPY_C(), '--json'),
    ]);
    expect(backup.code, backup.stderr).toBe(0);
    const b = JSON.parse(backup.stdout) as { lsn: number; keys: number; bytes: number; destination: string };
    expect(b.destination).toBe(path('backup'));
    expect(b.keys).toBeGreaterThan(3000);

    expect(inspect.code, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout)).toEqual({
      path: COPY_B(),
      kvKeys: 3,
      tables: [
        { name: 't', rows: 1500 },
        { name: 'pairs', rows: 2500 },
        { name: 'loose', rows: 30 },
      ],
      namespaces: [
        {
          name: 'tenant_a',
          displayName: 'tenant_a',
          labels: {},
          kvKeys: 1,
          collections: [{ name: 'docs', dimension: 3, metric: 'euclidean', documents: 600 }],
        },
      ],
      queues: [{ name: 'emails', pending: 2, delayed: 1, claimed: 0, completed: 0, deadLettered: 0, total: 3 }],
    });
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ keysCount: b.keys, lsn: b.lsn, transactionsCommitted: 0 });

    const restore = await run('restore', path('backup'), path('restored'));
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(new RegExp(`^restored .*backup to .*restored: LSN ${b.lsn}, ${b.keys} keys, ${b.bytes} bytes\\n$`));

    const answers = async (db: Database) => {
      const ns = await db.namespace('tenant_a');
      const docs = await ns.collection('docs');
      return {
        t: await rowsOf(db, 't', 'id'),
        pairs: await rowsOf(db, 'pairs', 'k, n'),
        kv: await db.scanPrefix('').toArray(),
        nsKv: await ns.get('settings/theme'),
        search: (await docs.search({ vector: vectorOf(42), k: 5 })).map((h) => h.id),
        keyword: (await docs.keywordSearch('number 7', 3)).map((h) => h.id),
      };
    };
    const original = await withDb(SEED(), answers);
    const copy = await withDb(path('restored'), answers);
    expect(copy).toEqual(original);
    expect(copy.t).toHaveLength(1500);
    expect(copy.search[0]).toBe('doc_042');
  });

  it('export then import round-trips tables as JSON Lines and as CSV', async () => {
    const [jsonl, csv] = await Promise.all([
      run('export', SEED(), '--table', 't', '--out', path('t.jsonl'), '--json'),
      run('export', COPY_B(), '--table', 't', '--format', 'csv'),
    ]);
    expect(jsonl.code, jsonl.stderr).toBe(0);
    expect(JSON.parse(jsonl.stdout)).toEqual({ source: 'table t', rows: 1500, format: 'jsonl', out: path('t.jsonl') });
    expect(csv.code, csv.stderr).toBe(0);
    // The data alone on stdout; the summary on stderr.
    expect(csv.stderr).toBe('exported 1500 rows of table t\n');

    const lines = readFileSync(path('t.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1500);
    expect(JSON.parse(lines[0]!)).toEqual({
      id: 1,
      name: 'row 1',
      data: { $base64: Buffer.from([1, 0xff, 0]).toString('base64') },
      score: 0.125,
      big: '9007199254740993',
    });
    const csvLines = csv.stdout.split('\n');
    expect(csvLines.slice(0, 2)).toEqual(['id,name,data,score,big', `1,row 1,${Buffer.from([1, 0xff, 0]).toString('base64')},0.125,9007199254740993`]);
    // Row 28: NULL name and data (empty, unquoted); row 5: the empty string ("").
    expect(csv.stdout).toContain('\n28,,,3.5,-9007199254740993\n');
    expect(csv.stdout).toContain(`\n5,"",${Buffer.from([5, 0xff, 0]).toString('base64')},0.625,9007199254740993\n`);

    await Promise.all([emptyTables(path('from-jsonl')), emptyTables(path('from-csv'))]);
    const [a, c] = await Promise.all([
      run('import', path('from-jsonl'), '--table', 't', '--in', path('t.jsonl'), '--json', '--batch', '1000'),
      runWithStdin(csv.stdout, 'import', path('from-csv'), '--table', 't', '--format', 'csv'),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout)).toEqual({ target: 'table t', rows: 1500, commits: 2 });
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toBe('imported 1500 records into table t\n');

    const original = await withDb(SEED(), (db) => rowsOf(db, 't', 'id'));
    expect(original).toHaveLength(1500);
    expect(await withDb(path('from-jsonl'), (db) => rowsOf(db, 't', 'id'))).toEqual(original);
    expect(await withDb(path('from-csv'), (db) => rowsOf(db, 't', 'id'))).toEqual(original);
  });

  it('export then import round-trips KV pairs (text and bytes) and a collection', async () => {
    const [kv, col, tasks] = await Promise.all([
      run('export', SEED(), '--kv', ''),
      run('export', COPY_C(), '--collection', 'tenant_a/docs', '--out', path('docs.jsonl')),
      run('export', COPY_B(), '--queue', 'emails'),
    ]);
    const npy = await run('export', COPY_B(), '--collection', 'tenant_a/docs', '--out', path('docs-v.jsonl'), '--vectors', path('docs.npy'));
    // With --vectors the lines carry no vector; the .npy holds them, row i for line i.
    expect(npy.code, npy.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path('docs-v.jsonl'), 'utf8').split('\n')[1]!)).toEqual({
      id: 'doc_001',
      content: 'text number 1',
      metadata: { i: 1, even: false },
    });
    const matrix = await readNpy(path('docs.npy'));
    expect([matrix.rows, matrix.dimension]).toEqual([600, 3]);
    expect(Array.from(matrix.data.subarray(3, 6))).toEqual(vectorOf(1).map(Math.fround));
    const fromNpy = await run('import', path('npy-copy'), '--collection', 'tenant_a/docs', '--in', path('docs-v.jsonl'), '--vectors', path('docs.npy'));
    expect(fromNpy.code, fromNpy.stderr).toBe(0);
    const allDocs = async (db: Database) => (await (await db.namespace('tenant_a')).collection('docs')).get({});
    expect(await withDb(path('npy-copy'), allDocs)).toEqual(await withDb(COPY_B(), allDocs));
    expect(tasks.code, tasks.stderr).toBe(0);
    const taskLines = tasks.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(taskLines.map((t) => [t['taskId'], t['state'], t['payload'], t['payloadEncoding']])).toEqual([
      ['e1', 'pending', 'hello', undefined],
      ['e2', 'pending', Buffer.from([0xff, 0x00]).toString('base64'), 'base64'],
      ['e3', 'delayed', 'later', undefined],
    ]);
    const queued = await runWithStdin(tasks.stdout, 'import', path('queue-copy'), '--queue', 'emails');
    expect(queued.code, queued.stderr).toBe(0);
    const tasksOf = async (db: Database) => {
      const out = [];
      for await (const t of db.queue('emails').tasks()) out.push([t.taskId, t.priority, t.state, t.payload.toString('hex'), t.metadata]);
      return out;
    };
    expect(await withDb(path('queue-copy'), tasksOf)).toEqual(await withDb(COPY_B(), tasksOf));
    // A second import of the same tasks names the first line whose id the queue holds.
    const again = await runWithStdin(tasks.stdout, 'import', path('queue-copy'), '--queue', 'emails');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^sochdb: DuplicateTaskError \(\d+\): line 1: /);
    expect(kv.code, kv.stderr).toBe(0);
    expect(
      kv.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { key: 'users/alice', value: '{"age":30}' },
      { key: 'users/bob', value: '' },
      {
        key: Buffer.from([0x75, 0xff]).toString('base64'),
        value: Buffer.from([0, 0xc3, 0x28]).toString('base64'),
        keyEncoding: 'base64',
        valueEncoding: 'base64',
      },
    ]);
    expect(col.code, col.stderr).toBe(0);
    const first = JSON.parse(readFileSync(path('docs.jsonl'), 'utf8').split('\n')[0]!) as Record<string, unknown>;
    expect(first).toEqual({ id: 'doc_000', vector: vectorOf(0).map(Math.fround), metadata: { i: 0, even: true } });

    const [k, c] = await Promise.all([
      runWithStdin(kv.stdout, 'import', path('kv-copy'), '--kv'),
      run('import', path('col-copy'), '--collection', 'tenant_b/docs', '--in', path('docs.jsonl'), '--dimension', '3', '--metric', 'euclidean'),
    ]);
    expect(k.code, k.stderr).toBe(0);
    expect(k.stdout).toBe('imported 3 records into KV\n');
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toBe('imported 600 records into collection tenant_b/docs\n');

    const pairsOf = (db: Database) => db.scanPrefix('').toArray();
    expect(await withDb(path('kv-copy'), pairsOf)).toEqual(await withDb(SEED(), pairsOf));
    const collectionOf = (ns: string) => async (db: Database) => {
      const docs = await (await db.namespace(ns)).collection('docs');
      return {
        info: { dimension: docs.dimension, metric: docs.info.metric },
        all: await docs.get({}),
        search: await docs.search({ vector: vectorOf(5), textQuery: 'number 5', k: 4 }),
      };
    };
    const copied = await withDb(path('col-copy'), collectionOf('tenant_b'));
    expect(copied.all).toHaveLength(600);
    expect(copied).toEqual(await withDb(SEED(), collectionOf('tenant_a')));
  });

  it('a bad line imports nothing and names its line; --batch keeps the batches before it', async () => {
    const good = (i: number) => JSON.stringify({ id: i, name: `n${i}` });
    // Line 4 is blank (skipped, still counted); line 6 is not JSON.
    const input = [good(1), good(2), good(3), '', good(5), '{"id": 6, "name": "six"', good(7)].join('\n');
    await emptyTables(path('atomic'));
    // Row 5 exists already: with --batch 2, line 5 fails on the primary key after rows 1–2 committed.
    await withDb(path('batched'), async (db) => void (await db.execute(`${T_SCHEMA}; INSERT INTO t (id, name) VALUES (5, 'five')`)));
    const badDoc = `${JSON.stringify({ id: 'a', vector: [1, 2, 3] })}\n${JSON.stringify({ id: 'b', vector: [1, 2] })}\n`;
    const [atomic, batched, docs] = await Promise.all([
      runWithStdin(input, 'import', path('atomic'), '--table', 't', '--json'),
      runWithStdin(input, 'import', path('batched'), '--table', 't', '--batch', '2'),
      runWithStdin(badDoc, 'import', path('docs'), '--collection', 'ns/docs', '--dimension', '3'),
    ]);
    expect(atomic.code).toBe(1);
    expect(atomic.stderr).toMatch(/^sochdb: ValidationError \(6000\): line 6: invalid JSON/);
    expect(JSON.parse(atomic.stdout)).toMatchObject({ error: { name: 'ValidationError', code: 6000 } });
    expect(await withDb(path('atomic'), (db) => rowsOf(db, 't', 'id'))).toEqual([]);

    // The error keeps its own class and code, and says what stayed.
    expect(batched.code).toBe(1);
    expect(batched.stderr).toMatch(/^sochdb: ConstraintError \(\d+\): line 5: .*\(2 records in 1 earlier batch were committed and stay\)/);
    expect((await withDb(path('batched'), (db) => rowsOf(db, 't', 'id'))).map((r) => [r['id'], r['name']])).toEqual([
      [1n, 'n1'],
      [2n, 'n2'],
      [5n, 'five'],
    ]);

    // A failed collection import takes back the namespace and collection it created.
    expect(docs.code).toBe(1);
    expect(docs.stderr).toMatch(/^sochdb: DimensionMismatchError \(6001\): line 2: vector dimension mismatch: expected 3, got 2/);
    expect(await withDb(path('docs'), (db) => db.listNamespaces())).toEqual([]);
  });
});
