// @sochdb/queue: enqueue, dequeue+ack and full cycles with 1 and 8 workers, on durable LevelDB
// storage (syncMode 'normal': group commit, fsync per write batch; 'off': no fsync) and in memory,
// beside the raw Storage batch-write rate of the same storage in the same run; then shared-mode
// dequeue+ack with 1k and 100k tasks queued, beside exclusive mode's in the same run; four worker
// processes in concurrent mode; and a Worker pool (queue.process) beside the raw loop it runs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LevelStorage, MemoryStorage, type Storage, type SyncMode } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { PriorityQueue } from '@sochdb/queue';
import { Database } from '@sochdb/sdk';
import { formatRate, opsPerSecond, percent, printTable, size } from './lib/table.js';

const payload = Buffer.alloc(100, 7);

/** W loops sharing `total` iterations of `step`. */
async function inParallel(workers: number, total: number, step: (worker: number, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = next++; i < total; i = next++) await step(w, i);
    }),
  );
}

interface Backend {
  readonly name: string;
  readonly ops: number;
  readonly mode?: 'exclusive' | 'shared';
  open(tag: string): Promise<Storage>;
}

export default async function run(): Promise<void> {
  const dir = makeTempDir('sochdb-bench-queue-');
  const level = (syncMode: SyncMode, ops: number, trackKeyCount = false): Backend => ({
    name: `LevelDB, syncMode '${syncMode}'${trackKeyCount ? ', trackKeyCount on' : ''}`,
    ops,
    open: (tag) => LevelStorage.open(join(dir.path, `${syncMode}-${trackKeyCount}-${tag}`), { syncMode, trackKeyCount }),
  });
  const backends: Backend[] = [
    level('normal', size(4_000, 400)),
    level('off', size(40_000, 2_000)),
    // Kept exact, the key count costs a read per written key; the queue writes ~6 keys a cycle.
    level('off', size(40_000, 2_000), true),
    { name: 'in memory', ops: size(100_000, 5_000), open: () => MemoryStorage.open() },
    // Shared mode (several processes on one storage): a transaction per batch of operations, which
    // reads the order index from its head (see the depth table below).
    {
      name: "LevelDB, syncMode 'off', shared mode",
      ops: size(1_000, 200),
      mode: 'shared',
      open: (tag) => LevelStorage.open(join(dir.path, `shared-${tag}`), { syncMode: 'off' }),
    },
  ];
  const rows: string[][] = [];
  try {
    for (const backend of backends) {
      for (const workers of [1, 8]) {
        const n = backend.ops;
        const storage = await backend.open(`w${workers}`);
        try {
          // The floor: one small atomic write (2 keys, like an enqueue) per operation, same concurrency.
          const raw = await opsPerSecond(n, () =>
            inParallel(workers, n, (_w, i) =>
              storage
                .batch([
                  { type: 'put', key: `raw/a/${i}`, value: payload },
                  { type: 'put', key: `raw/b/${i}`, value: payload },
                ])
                .then(() => undefined),
            ),
          );
          const q = new PriorityQueue(storage, 'bench', { visibilityTimeoutMs: 600_000, mode: backend.mode ?? 'exclusive' });
          const enqueue = await opsPerSecond(n, () => inParallel(workers, n, async (_w, i) => void (await q.enqueue({ priority: i % 10, payload }))));
          const drain = await opsPerSecond(n, () =>
            inParallel(workers, n, async (w) => {
              const task = await q.dequeue({ workerId: `w${w}` });
              if (task === null || !(await q.ack(task))) throw new Error('bench: queue drained early');
            }),
          );
          const cycles = await opsPerSecond(n, () =>
            inParallel(workers, n, async (w, i) => {
              await q.enqueue({ priority: i % 10, payload });
              const task = await q.dequeue({ workerId: `w${w}` });
              if (task === null || !(await q.ack(task))) throw new Error('bench: lost a task');
            }),
          );
          const stats = await q.stats();
          if (stats.completed !== 2 * n || stats.total !== 2 * n) throw new Error(`bench: unexpected stats ${JSON.stringify(stats)}`);
          const label = `${backend.name}, ${workers} worker${workers > 1 ? 's' : ''}`;
          rows.push([label, formatRate(enqueue), formatRate(drain), formatRate(cycles), formatRate(raw), percent(cycles * 3, raw)]);
        } finally {
          await storage.close();
        }
      }
    }
  } finally {
    dir.cleanup();
  }
  printTable(['storage, concurrency', 'enqueue/s', 'dequeue+ack/s', 'full cycles/s', 'raw Storage batch writes/s', 'cycle writes vs raw'], rows);
  console.log('\nA full cycle is enqueue + dequeue + ack: three durable writes. "cycle writes vs raw" compares the');
  console.log("queue's write rate (3 × cycles/s) with plain Storage.batch calls at the same concurrency.");

  console.log('\nShared-mode dequeue+ack at 1k and 100k queued tasks, beside exclusive mode on the same folder:\n');
  const depthRows: string[][] = [];
  const depthOps = size(500, 200);
  const depthDir = makeTempDir('sochdb-bench-queue-depth-');
  try {
    for (const depth of [size(1_000, 1_000), size(100_000, 10_000)]) depthRows.push(await atDepth(join(depthDir.path, String(depth)), depth, depthOps));
  } finally {
    depthDir.cleanup();
  }
  printTable(['queued tasks', 'exclusive dequeue+ack/s', 'shared dequeue+ack/s', 'shared vs exclusive'], depthRows);
  console.log(`\nLevelDB, syncMode 'off', 1 worker, 10 priorities: ${depthOps} tasks drained from the queue in each mode.`);

  const queued = size(100_000, 30_000);
  console.log(`\nFour worker processes on one folder (concurrent mode), ${queued.toLocaleString('en-US')} tasks queued, beside one process alone:\n`);
  const processRows: string[][] = [];
  const processDir = makeTempDir('sochdb-bench-queue-procs-');
  try {
    for (const concurrency of [1, 8, 64]) processRows.push(await acrossProcesses(join(processDir.path, `c${concurrency}`), queued, concurrency));
  } finally {
    processDir.cleanup();
  }
  printTable(
    ['dequeue loops per process', 'one process alone, exclusive (cycles/s)', '4 processes, concurrent mode (cycles/s, total)', '4 processes vs one alone'],
    processRows,
  );
  console.log(`\nA cycle is dequeue + ack. LevelDB, syncMode 'off'; each process runs for ${PROCESS_SECONDS} s. In concurrent mode one`);
  console.log('process owns the folder and the other three reach it over its Unix socket; every dequeue and ack is a');
  console.log('storage transaction that all four share, and the dequeues (and acks) a process makes at once share one.');

  const poolTasks = size(20_000, 2_000);
  console.log(`\nA worker pool (queue.process) beside the raw dequeue+ack loop it runs, ${poolTasks.toLocaleString('en-US')} tasks:\n`);
  const poolRows: string[][] = [];
  const poolDir = makeTempDir('sochdb-bench-queue-pool-');
  try {
    for (const concurrency of [1, 8, 64]) poolRows.push(await workerPool(join(poolDir.path, `c${concurrency}`), poolTasks, concurrency));
  } finally {
    poolDir.cleanup();
  }
  printTable(['concurrency', 'raw dequeue+ack loops (cycles/s)', 'queue.process worker (cycles/s)', 'worker vs raw'], poolRows);
  console.log("\nLevelDB, syncMode 'off', exclusive mode; the handler does nothing, so the difference is the worker's own cost");
  console.log('(lease bookkeeping, events, the claim loop). Both drain a queue filled the same way.');
}

/** Cycles per second of `concurrency` hand-written dequeue+ack loops, then of a Worker with that concurrency. */
async function workerPool(path: string, tasks: number, concurrency: number): Promise<string[]> {
  const rates: number[] = [];
  for (const kind of ['raw', 'worker'] as const) {
    const storage = await LevelStorage.open(`${path}-${kind}`, { syncMode: 'off' });
    try {
      const q = new PriorityQueue(storage, 'pool', { visibilityTimeoutMs: 600_000 });
      for (let i = 0; i < tasks; i += 1_000)
        await q.enqueueBatch(Array.from({ length: Math.min(1_000, tasks - i) }, (_, j) => ({ priority: (i + j) % 10, payload })));
      if (kind === 'raw') {
        rates.push(
          await opsPerSecond(tasks, () =>
            inParallel(concurrency, tasks, async (w) => {
              const task = await q.dequeue({ workerId: `w${w}` });
              if (task === null || !(await q.ack(task))) throw new Error('bench: queue drained early');
            }),
          ),
        );
      } else {
        rates.push(
          await opsPerSecond(tasks, async () => {
            let done = 0;
            const worker = q.process(async () => undefined, { concurrency, workerId: 'pool' });
            await new Promise<void>((resolve, reject) => {
              worker.on('completed', () => ++done === tasks && resolve());
              worker.on('error', reject);
            });
            await worker.close();
          }),
        );
      }
    } finally {
      await storage.close();
    }
  }
  const [raw, worker] = rates as [number, number];
  return [String(concurrency), formatRate(raw), formatRate(worker), percent(worker, raw)];
}

const PROCESS_SECONDS = size(4, 1.5);

/** Fills a queue of `queued` tasks in `path`, in batches. */
async function fill(path: string, queued: number): Promise<void> {
  const db = await Database.open(path, { syncMode: 'off' });
  try {
    const q = db.queue('depth', { visibilityTimeoutMs: 600_000 });
    for (let i = 0; i < queued; i += 1_000)
      await q.enqueueBatch(Array.from({ length: Math.min(1_000, queued - i) }, (_, j) => ({ priority: (i + j) % 10, payload })));
  } finally {
    await db.close();
  }
}

/**
 * Dequeue+ack cycles per second of four processes sharing one folder in concurrent mode, each
 * with `concurrency` loops, beside one process alone (exclusive mode, same loops) on a copy.
 */
export async function acrossProcesses(path: string, queued: number, concurrency: number): Promise<string[]> {
  await fill(`${path}-alone`, queued);
  const alone = await Database.open(`${path}-alone`, { syncMode: 'off' });
  let aloneRate: number;
  try {
    const q = alone.queue('depth', { visibilityTimeoutMs: 600_000 });
    const endAt = Date.now() + PROCESS_SECONDS * 1000;
    let cycles = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        while (Date.now() < endAt) {
          const task = await q.dequeue({ workerId: `w${w}` });
          if (task === null || !(await q.ack(task))) throw new Error('bench: the queue ran dry');
          cycles++;
        }
      }),
    );
    aloneRate = cycles / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await alone.close();
  }

  await fill(path, queued);
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const workers = Array.from({ length: 4 }, () =>
    spawn(process.execPath, ['--import', tsx, join(import.meta.dirname, 'lib', 'queue-worker.ts'), path, String(concurrency), String(PROCESS_SECONDS)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  try {
    const replies = workers.map((w) => createInterface({ input: w.stdout })[Symbol.asyncIterator]());
    for (const reply of replies) await reply.next(); // ready
    const startAt = Date.now() + 300;
    for (const w of workers) w.stdin.write(`${startAt}\n`);
    const counts = await Promise.all(replies.map(async (reply) => Number((await reply.next()).value)));
    if (counts.some((n) => !Number.isFinite(n))) throw new Error(`bench: a worker failed (${counts.join(', ')})`);
    const total = counts.reduce((a, b) => a + b, 0) / PROCESS_SECONDS;
    return [
      String(concurrency),
      formatRate(aloneRate),
      `${formatRate(total)} (${counts.map((n) => formatRate(n / PROCESS_SECONDS)).join(' + ')})`,
      percent(total, aloneRate),
    ];
  } finally {
    for (const w of workers) w.stdin.end();
    await Promise.all(workers.map((w) => (w.exitCode === null ? once(w, 'exit') : Promise.resolve())));
  }
}

/**
 * Dequeue+ack rate with `depth` tasks queued: exclusive mode first, then shared mode on the same
 * folder reopened (the order index that shared mode dequeues from is kept by both).
 */
async function atDepth(path: string, depth: number, ops: number): Promise<string[]> {
  const drain = async (q: PriorityQueue): Promise<number> =>
    opsPerSecond(ops, async () => {
      for (let i = 0; i < ops; i++) {
        const task = await q.dequeue({ workerId: 'w' });
        if (task === null || !(await q.ack(task))) throw new Error('bench: queue drained early');
      }
    });
  const rates: number[] = [];
  for (const mode of ['exclusive', 'shared'] as const) {
    const storage = await LevelStorage.open(path, { syncMode: 'off' });
    try {
      const q = new PriorityQueue(storage, 'depth', { visibilityTimeoutMs: 600_000, mode });
      if (mode === 'exclusive') {
        // depth + ops tasks: exclusive mode drains from depth + ops to depth, shared mode from depth down.
        const fill = depth + ops;
        for (let i = 0; i < fill; i += 1_000)
          await q.enqueueBatch(Array.from({ length: Math.min(1_000, fill - i) }, (_, j) => ({ priority: (i + j) % 10, payload })));
      }
      rates.push(await drain(q));
    } finally {
      await storage.close();
    }
  }
  const [exclusive, shared] = rates as [number, number];
  return [depth.toLocaleString('en-US'), formatRate(exclusive), formatRate(shared), percent(shared, exclusive)];
}
