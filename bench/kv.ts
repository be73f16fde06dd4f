// KvStore scans on LevelDB: per-item fetching vs batched, beside raw classic-level nextv on the
// same data in the same run. `BENCH_QUICK=1` shrinks the data sets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { LevelStorage } from '@sochdb/core';
import { KvStore } from '@sochdb/kv';
import { formatRate, opsPerSecond, percent, printTable, size } from './lib/table.js';

const BUFFERS = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const;
const RUNS = 5;

export default async function run(): Promise<void> {
  const rows: string[][] = [];
  for (const n of [size(10_000, 2_000), size(100_000, 10_000)]) rows.push(...(await measure(n)));
  printTable(['keys', 'scan', 'rows/s', 'vs per-item', 'vs raw nextv(1000)'], rows);
}

async function measure(n: number): Promise<string[][]> {
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-bench-kv-'));
  try {
    const keys = Array.from({ length: n }, (_, i) => Buffer.from(`item:${String(i).padStart(7, '0')}`));
    const values = keys.map((_, i) => Buffer.from(`value:${i}:${'x'.repeat(40)}`));

    const storage = await LevelStorage.open(join(dir, 'sochdb'), { syncMode: 'off' });
    for (let i = 0; i < n; i += 10_000) {
      await storage.batch(keys.slice(i, i + 10_000).map((key, j) => ({ type: 'put' as const, key, value: values[i + j]! })));
    }
    const raw = new ClassicLevel<Buffer, Buffer>(join(dir, 'raw'), BUFFERS);
    await raw.open();
    for (let i = 0; i < n; i += 10_000) {
      await raw.batch(keys.slice(i, i + 10_000).map((key, j) => ({ type: 'put' as const, key, value: values[i + j]! })));
    }

    const kv = new KvStore(storage);
    const start = 'item:';
    const end = 'item;';
    const check = (count: number) => {
      if (count !== n) throw new Error(`scan saw ${count} entries, expected ${n}`);
    };
    const cases: [string, () => Promise<void>][] = [
      [
        'raw classic-level nextv(1000)',
        async () => {
          // Same read-ahead as LevelStorage uses, so only the layers above LevelDB differ.
          const it = raw.iterator({ gte: Buffer.from(start), lt: Buffer.from(end), highWaterMarkBytes: 256 * 1024 });
          let count = 0;
          for (let batch = await it.nextv(1000); batch.length > 0; batch = await it.nextv(1000)) count += batch.length;
          await it.close();
          check(count);
        },
      ],
      ['kv.scanBatched(…, { batchSize: 1 }) (per-item)', () => loop(kv.scanBatched(start, end, { batchSize: 1 }), check)],
      ['kv.scan(…) (adaptive batches)', () => loop(kv.scan(start, end), check)],
      ['kv.scanBatched(…, { batchSize: 1000 })', () => loop(kv.scanBatched(start, end, { batchSize: 1000 }), check)],
      [
        'kv.scanBatched(…).batches()',
        async () => {
          let count = 0;
          for await (const batch of kv.scanBatched(start, end, { batchSize: 1000 }).batches()) count += batch.length;
          check(count);
        },
      ],
      [
        'kv.scanBatched in a transaction',
        async () => {
          const txn = storage.beginTransaction({ readOnly: true });
          await loop(kv.scanBatched(start, end, { batchSize: 1000, txn }), check);
          await txn.abort();
        },
      ],
    ];
    // Round-robin, best of RUNS, so that drift on a shared machine hits every case alike.
    const rates = new Map<string, number>();
    for (const [, fn] of cases) await fn(); // warm the block cache and the JIT
    for (let r = 0; r < RUNS; r++) {
      for (const [name, fn] of cases) rates.set(name, Math.max(rates.get(name) ?? 0, await opsPerSecond(n, fn)));
    }
    await raw.close();
    await storage.close();
    const rawRate = rates.get('raw classic-level nextv(1000)')!;
    const perItem = rates.get('kv.scanBatched(…, { batchSize: 1 }) (per-item)')!;
    return cases.map(([name]) => {
      const rate = rates.get(name)!;
      return [n.toLocaleString('en-US'), name, formatRate(rate), `${(rate / perItem).toFixed(1)}×`, percent(rate, rawRate)];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function loop(scan: AsyncIterable<readonly [Buffer, Buffer]>, check: (count: number) => void): Promise<void> {
  let count = 0;
  for await (const _ of scan) count++;
  check(count);
}
