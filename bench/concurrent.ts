// Concurrent mode: this process as a client of an owner in another process, beside the same
// operations on the database opened by this process alone (embedded), measured in the same run.
// The search rows show the cost of following another process's commits: a search right after the
// other process inserted a document (the collection catches up from the commit feed first, and
// must find it) beside a search with nothing new.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Database } from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';
import { formatRate, opsPerSecond, percent, printTable, size } from './lib/table.js';
import { benchVector } from './lib/vectors.js';

const OPS = size(5_000, 500);
const SEARCHES = size(300, 50);
const DIM = 64;
const vector = (i: number) => benchVector(i, DIM);

async function prepare(db: Database): Promise<void> {
  for (let i = 0; i < 1000; i++) await db.put(`key:${i}`, `value ${i}`);
  await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
  await db.execute(`INSERT INTO t VALUES ${Array.from({ length: 1000 }, (_, i) => `(${i}, 'n${i}')`).join(', ')}`);
  const docs = await (await db.createNamespace('ns')).createCollection({ name: 'docs', dimension: DIM });
  await docs.insertBatch({ vectors: Array.from({ length: 2000 }, (_, i) => vector(i)), contents: Array.from({ length: 2000 }, (_, i) => `document ${i}`) });
}

/** get, put and SQL point select, one at a time, on `db`. */
async function measure(db: Database): Promise<{ get: number; put: number; select: number; search: number }> {
  const get = await opsPerSecond(OPS, async () => {
    for (let i = 0; i < OPS; i++) await db.get(`key:${i % 1000}`);
  });
  const put = await opsPerSecond(OPS, async () => {
    for (let i = 0; i < OPS; i++) await db.put(`key:${i % 1000}`, `new ${i}`);
  });
  const select = await opsPerSecond(OPS, async () => {
    for (let i = 0; i < OPS; i++) await db.execute('SELECT name FROM t WHERE id = ?', [i % 1000]);
  });
  const docs = await (await db.namespace('ns')).collection('docs');
  const search = await opsPerSecond(SEARCHES, async () => {
    for (let i = 0; i < SEARCHES; i++) await docs.vectorSearch(vector(i * 3 + 1), 10);
  });
  return { get, put, select, search };
}

export default async function run(): Promise<void> {
  const dir = makeTempDir('sochdb-bench-conc-');
  const path = join(dir.path, 'db');
  const alone = await Database.open(path, { syncMode: 'off' });
  await prepare(alone);
  const embedded = await measure(alone);
  await alone.close();

  const tsx = createRequire(import.meta.url).resolve('tsx');
  const peer = spawn(process.execPath, ['--import', tsx, join(import.meta.dirname, 'lib', 'concurrent-peer.ts'), path, String(DIM)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: peer.stdout })[Symbol.asyncIterator]();
  await lines.next();
  const client = await Database.openConcurrent(path, { syncMode: 'off' });
  const remote = await measure(client);
  // Search right after the other process committed a document: this one must find it.
  const docs = await (await client.namespace('ns')).collection('docs');
  let caughtUp = 0;
  for (let i = 0; i < SEARCHES; i++) {
    peer.stdin.write(`${i}\n`);
    await lines.next();
    const start = process.hrtime.bigint();
    const hits = await docs.vectorSearch(vector(i), 1, { filter: { remote: true } });
    caughtUp += Number(process.hrtime.bigint() - start);
    if (hits[0]?.id !== `remote-${i}`) throw new Error(`search after remote insert ${i} did not find it: ${JSON.stringify(hits[0])}`);
  }
  const afterInsert = SEARCHES / (caughtUp / 1e9);
  await client.close();
  peer.stdin.end();
  await once(peer, 'exit');
  dir.cleanup();

  const row = (name: string, ours: number, theirs: number) => [name, formatRate(ours), formatRate(theirs), percent(ours, theirs)];
  printTable(
    ['operation (one at a time)', 'client of an owner process, ops/s', 'one process alone, ops/s', 'client/alone'],
    [
      row('KV get', remote.get, embedded.get),
      row('KV put', remote.put, embedded.put),
      row('SQL select by primary key', remote.select, embedded.select),
      row('vector search k=10 (2k docs, 64 dims), nothing new', remote.search, embedded.search),
      row("vector search right after the owner's insert (catch-up, must find it)", afterInsert, embedded.search),
    ],
  );
}
