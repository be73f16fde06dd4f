// The SDK on PostgreSQL: Database.open('postgres://…'), its typed errors, and processes that share
// one PostgreSQL database as machines would (no lost update, no task claimed twice, nothing
// acknowledged lost when a process is killed mid-transaction).
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStorage } from '@sochdb/core';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { startTestServer, type TestServer } from '@sochdb/postgres/testing';
import { Database } from '@sochdb/sdk';

const worker = join(import.meta.dirname, 'fixtures', 'pg-worker.ts');
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(() => server?.stop());

let schemas = 0;
const freshUrl = () => `${server.url}?schema=sdk_${process.pid}_${++schemas}`;

it('Database.open(postgres://…) gives every API on the server, and a reopen sees it all', async () => {
  const url = freshUrl();
  const db = await Database.open(url);
  expect(db.path).not.toContain('sochdb-test'); // the password is masked
  await db.put('greeting', 'hello');
  await db.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
  await db.execute("INSERT INTO users VALUES (1, 'ada'), (2, 'bob')");
  const docs = await (await db.createNamespace('app')).createCollection({ name: 'docs', dimension: 2, metric: 'euclidean' });
  await docs.insert({ id: 'a', vector: [0, 0], content: 'first note' });
  await docs.insert({ id: 'b', vector: [5, 5], content: 'second note' });
  const queue = db.queue('jobs');
  await queue.enqueue({ priority: 1, payload: 'p' });
  await db.close();

  const again = await Database.open(url);
  try {
    expect((await again.get('greeting'))?.toString()).toBe('hello');
    expect((await again.execute('SELECT name FROM users ORDER BY id')).rows).toEqual([{ name: 'ada' }, { name: 'bob' }]);
    const reopened = await (await again.namespace('app')).collection('docs');
    expect((await reopened.vectorSearch([4, 4], 1)).map((r) => r.id)).toEqual(['b']);
    expect(await reopened.count()).toBe(2);
    const task = await again.queue('jobs').dequeue({ workerId: 'w' });
    expect(task?.payload?.toString()).toBe('p');
  } finally {
    await again.close();
  }
});

it('bad credentials, a missing database, an unreachable server and misplaced options are typed errors', async () => {
  const wrongPassword = server.url.replace(/:[^:@/]+@/, ':wrong@');
  await expect(Database.open(wrongPassword)).rejects.toMatchObject({ name: 'AuthenticationError', code: 1002 });
  await expect(Database.open(server.url.replace(/\/sochdb_test$/, '/no_such_db'))).rejects.toMatchObject({ name: 'DatabaseNotFoundError', code: 9006 });
  const unreachable = `postgres://postgres:x@127.0.0.1:1/db`;
  await expect(Database.open(unreachable, { postgres: { connectTimeoutMs: 2_000 } })).rejects.toMatchObject({ name: 'ConnectionError', code: 1001 });
  await expect(Database.open(server.url, { syncMode: 'full' })).rejects.toMatchObject({ code: 6000, field: 'syncMode' });
  await expect(Database.open(server.url, { postgres: { poolSize: 0 } })).rejects.toMatchObject({ code: 6000, field: 'poolSize' });
  await expect(Database.open(server.url, { postgres: { schema: 'Bad-Name' } })).rejects.toMatchObject({ code: 6000, field: 'schema' });
  await expect(Database.open(':memory:', { postgres: {} })).rejects.toMatchObject({ code: 6000, field: 'postgres' });
  await expect(Database.openConcurrent(server.url)).rejects.toMatchObject({ code: 6000 });
  await expect(openStorage('mysql://127.0.0.1/db')).rejects.toMatchObject({ code: 6000, field: 'location' });
});

it('three processes increment one counter in transactions: no update is lost', async () => {
  const url = freshUrl();
  const children = Array.from({ length: 3 }, () => waitForExit(spawnTs(worker, [url, 'increment', '25'])));
  for (const result of await Promise.all(children)) expect(result, result.stderr).toMatchObject({ code: 0, stdout: 'done\n' });
  const db = await Database.open(url);
  try {
    expect((await db.get('counter'))?.toString()).toBe('75');
  } finally {
    await db.close();
  }
}, 120_000);

it('three processes drain one queue: every task claimed and acked exactly once', async () => {
  const url = freshUrl();
  const db = await Database.open(url);
  const ids = await db.queue('jobs').enqueueBatch(Array.from({ length: 60 }, (_, i) => ({ priority: i % 4, payload: `t${i}` })));
  await db.close();
  const results = await Promise.all(Array.from({ length: 3 }, () => waitForExit(spawnTs(worker, [url, 'drain']))));
  const claimed = results.flatMap((r) => {
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as string[];
  });
  expect(claimed).toHaveLength(60);
  expect(new Set(claimed)).toEqual(new Set(ids));
}, 120_000);

it('a process killed with SIGKILL mid-transaction loses nothing it was told was committed, and leaves nothing half-done', async () => {
  const url = freshUrl();
  const setup = await Database.open(url);
  await setup.execute('CREATE TABLE log (i INTEGER PRIMARY KEY)');
  await setup.close();
  const child = spawnTs(worker, [url, 'acks']);
  let acked = 0;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', () => reject(new Error('the worker exited early')));
    child.stdout!.on('data', (d: Buffer) => {
      acked = Math.max(acked, ...d.toString().trim().split('\n').map(Number));
      if (acked >= 40) resolve();
    });
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('close', resolve));
  const db = await Database.open(url);
  try {
    const rows = (await db.execute('SELECT i FROM log ORDER BY i')).rows.map((r) => Number(r.i));
    const keys: number[] = [];
    for await (const [key] of db.scanPrefix('acked/')) keys.push(Number(key.toString().slice('acked/'.length)));
    // Every acknowledged one is there; at most the one in flight landed besides; KV and SQL agree.
    expect(rows.length === acked || rows.length === acked + 1).toBe(true);
    expect(rows).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
    expect(keys).toEqual(rows);
  } finally {
    await db.close();
  }
}, 120_000);
