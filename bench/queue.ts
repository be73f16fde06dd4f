// @sochdb/queue: enqueue, dequeue+ack and full cycles with 1 and 8 workers, on durable LevelDB
// storage (syncMode 'normal': group commit, fsync per write batch; 'off': no fsync) and in memory,
// beside the raw Storage batch-write rate of the same storage in the same run.
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
}
