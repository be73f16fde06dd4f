// Issue 25, large queues and tables: a queue filled to 1M tasks and a SQL table to 10M rows on
// LevelDB, measured at each checkpoint (a tenth of the way, then full) in a fresh child process
// (bench/lib/scale-rows-child.ts): open to first answer, anonymous RSS after open, per-operation
// latency p50/p99 beside the raw storage operation underneath in the same run, and a full scan
// (the queue's stats(), the table's COUNT(*)) with its peak memory. The claim under test: the
// per-operation figures and the memory do not grow with the size. Not in CI, opt-in by name:
// `npx tsx bench/run.ts scale-rows` (SCALE_TASKS, default 1,000,000; SCALE_ROWS, default
// 10,000,000; BENCH_QUICK=1 → 20k tasks and 50k rows).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStorage } from '@sochdb/core';
import { waitForExit } from '@sochdb/core/testing';
import { PriorityQueue } from '@sochdb/queue';
import { Database } from '@sochdb/sdk';
import type { ChildReport } from './lib/scale-rows-child.js';
import { formatRate, printTable, QUICK } from './lib/table.js';

const TASKS = QUICK ? 20_000 : Number(process.env.SCALE_TASKS ?? 1_000_000);
const ROWS = QUICK ? 50_000 : Number(process.env.SCALE_ROWS ?? 10_000_000);
/** The first checkpoint holds this many: the size the latencies are compared against. */
const SMALL = 10_000;
const BATCH = 10_000;
const BODY = 'a row of a large table, about a hundred bytes of text so that it looks like real data.';

const mb = (bytes: number): string => (Number.isNaN(bytes) ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MB`);
const sec = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
/** A change in memory with its sign (a scan can end below where it started: gc ran meanwhile). */
const delta = (bytes: number): string => `${bytes < 0 ? '−' : '+'}${mb(Math.abs(bytes))}`;
const lat = (l: { readonly p50: number; readonly p99: number }): string => `${l.p50.toFixed(3)} / ${l.p99.toFixed(3)}`;

function folderBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

async function child(phase: 'queue' | 'table', folder: string, arg: string): Promise<ChildReport> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const proc = spawn(process.execPath, ['--expose-gc', '--import', tsx, join(import.meta.dirname, 'lib', 'scale-rows-child.ts'), phase, folder, arg], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { code, stdout } = await waitForExit(proc);
  if (code !== 0) throw new Error(`bench: the ${phase} child exited with ${code}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
}

/** The checkpoints: SMALL, a tenth, and the full size (without repeats). */
const checkpoints = (full: number): number[] => [...new Set([Math.min(SMALL, full), Math.round(full / 10), full])].filter((n) => n > 0).sort((a, b) => a - b);

/** Grows the queue to each checkpoint (timed, in this process), then measures it in a child. */
async function queueRows(folder: string): Promise<string[][]> {
  const rows: string[][] = [];
  const payload = Buffer.alloc(100, 7);
  let size = 0;
  for (const target of checkpoints(TASKS)) {
    const storage = await LevelStorage.open(folder, { syncMode: 'off' });
    const q = new PriorityQueue(storage, 'jobs');
    const t = performance.now();
    const added = target - size;
    for (let done = 0; done < added; done += BATCH) {
      const n = Math.min(BATCH, added - done);
      await q.enqueueBatch(Array.from({ length: n }, (_, i) => ({ priority: (size + done + i) % 1_000, payload })));
    }
    const fillRate = added / ((performance.now() - t) / 1000);
    size = target;
    await q.close();
    await storage.close();
    for (const mode of ['exclusive', 'shared'] as const) {
      const r = await child('queue', folder, mode);
      if (r.counted !== target) throw new Error(`bench: the queue holds ${r.counted} tasks, expected ${target}`);
      rows.push([
        formatRate(target),
        mode,
        `${formatRate(fillRate)}/s`,
        mb(folderBytes(folder)),
        sec(r.openMs),
        mb(r.anonAfterOpen - r.anonBefore),
        lat(r.ops['enqueue']!),
        lat(r.ops['dequeue + ack']!),
        lat(r.ops['raw put + del']!),
        `${sec(r.scanMs)}, ${delta(r.anonScan)}`,
      ]);
    }
    console.error(`  queue at ${formatRate(target)} measured`);
  }
  return rows;
}

/** Grows the table to each checkpoint (INSERTs in transactions of BATCH rows), then measures it in a child. */
async function tableRows(folder: string): Promise<string[][]> {
  const rows: string[][] = [];
  let size = 0;
  for (const target of checkpoints(ROWS)) {
    const db = await Database.open(folder, { syncMode: 'off' });
    if (size === 0) await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, body TEXT); CREATE INDEX t_k ON t (k)');
    const t = performance.now();
    for (let from = size + 1; from <= target; from += BATCH) {
      const to = Math.min(target, from + BATCH - 1);
      await db.transaction(async (txn) => {
        const insert = txn.prepare('INSERT INTO t (id, k, body) VALUES (?, ?, ?)');
        for (let id = from; id <= to; id++) await insert.run(id, id % 1_000_003, BODY);
      });
    }
    const fillRate = (target - size) / ((performance.now() - t) / 1000);
    size = target;
    await db.close();
    const r = await child('table', folder, String(target));
    if (r.counted !== target) throw new Error(`bench: the table holds ${r.counted} rows, expected ${target}`);
    rows.push([
      formatRate(target),
      `${formatRate(fillRate)}/s`,
      mb(folderBytes(folder)),
      sec(r.openMs),
      mb(r.anonAfterOpen - r.anonBefore),
      mb(r.anonAfterOps - r.anonBefore),
      lat(r.ops['SELECT by primary key']!),
      lat(r.ops['SELECT by indexed column']!),
      lat(r.ops['SELECT 100-row range']!),
      lat(r.ops['INSERT one row (autocommit)']!),
      lat(r.ops['raw storage get']!),
      `${sec(r.scanMs)}, ${delta(r.anonScan)}`,
    ]);
    console.error(`  table at ${formatRate(target)} measured`);
  }
  return rows;
}

export default async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-bench-scale-rows-'));
  try {
    console.log(
      `Each size measured in a fresh process: open to first answer, anonymous RSS it added (LevelDB's file pages not counted), latencies in ms as p50 / p99 over 2,000 operations (the storage's own operation in the same run beside them), and a full scan (stats(), COUNT(*)) with what it added at its peak to the RSS before it. A queue is measured in each mode: exclusive (the default) keeps an index of every task in memory; shared reads its order index from storage. Filled with syncMode 'off'; measured with the default ('normal').\n`,
    );
    printTable(
      ['tasks', 'mode', 'fill', 'folder', 'open + 1st dequeue', 'RSS after open', 'enqueue', 'dequeue + ack', 'raw put + del', 'stats()'],
      await queueRows(join(dir, 'queue')),
    );
    console.log('');
    printTable(
      [
        'rows',
        'fill (INSERT)',
        'folder',
        'open + 1st SELECT',
        'RSS after open',
        'RSS after the runs',
        'by primary key',
        'by index',
        '100-row range',
        'INSERT (autocommit)',
        'raw get',
        'COUNT(*)',
      ],
      await tableRows(join(dir, 'table')),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
