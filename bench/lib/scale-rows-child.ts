// The fresh processes of bench/scale-rows.ts, one per checkpoint, so RSS carries nothing of the
// build (run with --expose-gc):
//   queue <folder> <exclusive|shared>  open the queue in that mode, first dequeue, enqueue / dequeue+ack latencies, stats(), and
//                   the raw put+del pair of the same storage beside them
//   table <folder>  open the database, first point SELECT, point / index / range / insert
//                   latencies, a full COUNT(*) with its peak memory, and raw storage gets
// Prints one JSON line on stdout (a ChildReport). Each leaves the data as it found it, in size.
import { readFileSync } from 'node:fs';
import { LevelStorage, type Storage } from '@sochdb/core';
import { PriorityQueue } from '@sochdb/queue';
import { Database } from '@sochdb/sdk';
import { latency, type Latency } from './latency.js';

/** What a checkpoint reports. */
export interface ChildReport {
  /** Open to the first answer (a dequeue, a point SELECT), ms. */
  readonly openMs: number;
  /** Anonymous RSS (what the process allocated; not LevelDB's file pages) after open and the first answer, after gc, bytes. */
  readonly anonAfterOpen: number;
  /** Anonymous RSS before opening, after gc, bytes. */
  readonly anonBefore: number;
  /** Anonymous RSS after the latency runs (caches filled), after gc, bytes. */
  readonly anonAfterOps: number;
  /** What the full scan (table) or stats() (queue) added at its peak, over the RSS before it, bytes. */
  readonly anonScan: number;
  /** The full scan (COUNT(*)) or stats() time, ms, and what it counted. */
  readonly scanMs: number;
  readonly counted: number;
  /** Latencies by operation name; `raw …` rows are the storage underneath, in the same run. */
  readonly ops: Readonly<Record<string, Latency>>;
}

const OPS = 2_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const anon = (): number => {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('RssAnon:'));
  return line === undefined ? Number.NaN : Number.parseInt(line.split(/\s+/)[1]!, 10) * 1024;
};
const anonAfterGc = (): number => {
  gc();
  return anon();
};
const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;

/** Runs `fn` while sampling anonymous RSS every 20 ms; resolves with its result, time and the peak. */
async function sampled<T>(fn: () => Promise<T>): Promise<{ readonly value: T; readonly ms: number; readonly peak: number }> {
  let peak = anon();
  const timer = setInterval(() => (peak = Math.max(peak, anon())), 20);
  const t = process.hrtime.bigint();
  try {
    const value = await fn();
    return { value, ms: ms(t), peak: Math.max(peak, anon()) };
  } finally {
    clearInterval(timer);
  }
}

/** The storage's own put+del of a fresh key: what the queue's operations are built on. */
function rawPutDel(storage: Storage): (i: number) => Promise<unknown> {
  return async (i) => {
    await storage.put(`bench-raw/${i}`, 'x'.repeat(100));
    await storage.del(`bench-raw/${i}`);
  };
}

async function queue(folder: string, mode: 'exclusive' | 'shared'): Promise<ChildReport> {
  const anonBefore = anonAfterGc();
  const t = process.hrtime.bigint();
  const storage = await LevelStorage.open(folder);
  const q = new PriorityQueue(storage, 'jobs', { mode });
  const first = await q.dequeue({ workerId: 'bench' });
  if (first === null) throw new Error('bench: the queue is empty');
  await q.ack(first);
  const openMs = ms(t);
  const anonAfterOpen = anonAfterGc();
  const payload = Buffer.alloc(100, 7);
  await q.enqueue({ priority: 0, payload }); // back to the size it was given
  const ops: Record<string, Latency> = {};
  ops['enqueue'] = await latency(OPS, (i) => q.enqueue({ priority: i % 10, payload }));
  ops['dequeue + ack'] = await latency(OPS, async () => {
    const task = await q.dequeue({ workerId: 'bench' });
    if (task === null) throw new Error('bench: the queue ran dry');
    await q.ack(task);
  });
  ops['raw put + del'] = await latency(OPS, rawPutDel(storage));
  const anonAfterOps = anonAfterGc();
  const stats = await sampled(() => q.stats());
  await q.close();
  await storage.close();
  return { openMs, anonBefore, anonAfterOpen, anonAfterOps, anonScan: stats.peak - anonAfterOps, scanMs: stats.ms, counted: stats.value.pending, ops };
}

async function table(folder: string, rows: number): Promise<ChildReport> {
  const anonBefore = anonAfterGc();
  const t = process.hrtime.bigint();
  const db = await Database.open(folder);
  const point = db.prepare('SELECT * FROM t WHERE id = ?');
  if ((await point.all(1)).length !== 1) throw new Error('bench: row 1 is missing');
  const openMs = ms(t);
  const anonAfterOpen = anonAfterGc();
  // A fixed spread of ids over the whole table (Knuth's multiplicative hash), not a random walk.
  const id = (i: number): number => 1 + ((i * 2_654_435_761) % rows);
  const ops: Record<string, Latency> = {};
  ops['SELECT by primary key'] = await latency(OPS, (i) => point.all(id(i)));
  const byK = db.prepare('SELECT id FROM t WHERE k = ?');
  ops['SELECT by indexed column'] = await latency(OPS, (i) => byK.all(id(i) % 1_000_003));
  const range = db.prepare('SELECT id, k FROM t WHERE id BETWEEN ? AND ?');
  ops['SELECT 100-row range'] = await latency(OPS, (i) => range.all(id(i), id(i) + 99));
  const insert = db.prepare('INSERT INTO t (id, k, body) VALUES (?, ?, ?)');
  ops['INSERT one row (autocommit)'] = await latency(OPS, (i) => insert.run(rows + 1 + i, i, 'bench'));
  await db.execute('DELETE FROM t WHERE id > ?', [rows]);
  // Raw: point reads of keys the table really has, found by seeking from spread-out byte strings.
  const keys: Buffer[] = [];
  for (let i = 0; keys.length < 500 && i < 5_000; i++) {
    for await (const [key] of db.storage.iterator({ gte: Buffer.from([i % 256, (i * 7) % 256, (i * 13) % 256]), limit: 1 })) keys.push(key);
  }
  ops['raw storage get'] = await latency(OPS, (i) => db.storage.get(keys[i % keys.length]!));
  const anonAfterOps = anonAfterGc();
  const count = await sampled(async () => Number((await db.execute('SELECT count(*) AS n FROM t')).rows[0]!['n']));
  await db.close();
  return { openMs, anonBefore, anonAfterOpen, anonAfterOps, anonScan: count.peak - anonAfterOps, scanMs: count.ms, counted: count.value, ops };
}

const [phase, folder, arg] = process.argv.slice(2) as ['queue' | 'table', string, string];
const report = phase === 'queue' ? await queue(folder, arg as 'exclusive' | 'shared') : await table(folder, Number(arg));
process.stdout.write(`${JSON.stringify(report)}\n`);
