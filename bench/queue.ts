// @sochdb/queue: enqueue, dequeue+ack and full cycles with 1 and 8 workers, on durable LevelDB
// storage (syncMode 'normal': group commit, fsync per write batch; 'off': no fsync) and in memory,
// beside the raw Storage batch-write rate of the same storage in the same run; then shared-mode
// dequeue+ack with 1k and 100k tasks queued, beside exclusive mode's in the same run.
import { join } from 'node:path';
import { LevelStorage, MemoryStorage, type Storage, type SyncMode } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { PriorityQueue } from '@sochdb/queue';
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
  const level = (syncMode: SyncMode, ops: number, trackKeyCount = true): Backend => ({
    name: `LevelDB, syncMode '${syncMode}'${trackKeyCount ? '' : ', trackKeyCount off'}`,
    ops,
    open: (tag) => LevelStorage.open(join(dir.path, `${syncMode}-${trackKeyCount}-${tag}`), { syncMode, trackKeyCount }),
  });
  const backends: Backend[] = [
    level('normal', size(4_000, 400)),
    level('off', size(40_000, 2_000)),
    // Core reads each written key to keep an exact key count; the queue writes ~6 keys a cycle.
    level('off', size(40_000, 2_000), false),
    { name: 'in memory', ops: size(100_000, 5_000), open: () => MemoryStorage.open() },
    // Shared mode (several processes on one storage): a transaction per operation that reads the
    // whole queue, so its cost grows with the queue's length (here up to `ops` tasks).
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
            inParallel(workers, n, (_w, i) => storage.batch([{ type: 'put', key: `raw/a/${i}`, value: payload }, { type: 'put', key: `raw/b/${i}`, value: payload }]).then(() => undefined)),
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
  console.log('queue\'s write rate (3 × cycles/s) with plain Storage.batch calls at the same concurrency.');

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
        for (let i = 0; i < fill; i += 1_000) await q.enqueueBatch(Array.from({ length: Math.min(1_000, fill - i) }, (_, j) => ({ priority: (i + j) % 10, payload })));
      }
      rates.push(await drain(q));
    } finally {
      await storage.close();
    }
  }
  const [exclusive, shared] = rates as [number, number];
  return [depth.toLocaleString('en-US'), formatRate(exclusive), formatRate(shared), percent(shared, exclusive)];
}
