// @sochdb/core Storage and transactions beside raw classic-level, same keys, same run.
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { LevelStorage, type SyncMode } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { formatRate, opsPerSecond, percent, printTable, size } from './lib/table.js';

const N = size(100_000, 10_000);
const key = (i: number) => `key:${String(i).padStart(8, '0')}`;
const value = Buffer.alloc(100, 7);

export default async function run(): Promise<void> {
  const dir = makeTempDir('sochdb-bench-core-');
  const raw = new ClassicLevel<Buffer, Buffer>(join(dir.path, 'raw'), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await raw.open();
  const ours = await LevelStorage.open(join(dir.path, 'ours'), { syncMode: 'off' });
  const keys = Array.from({ length: N }, (_, i) => Buffer.from(key(i)));
  const rows: string[][] = [];
  const row = (name: string, o: number, r: number, note = '') => rows.push([name, formatRate(o), formatRate(r), percent(o, r), note]);

  try {
    // Batch put: 1,000 keys a batch, no fsync on either side.
    const batches: { type: 'put'; key: Buffer; value: Buffer }[][] = [];
    for (let i = 0; i < N; i += 1000) batches.push(keys.slice(i, i + 1000).map((k) => ({ type: 'put' as const, key: k, value })));
    // The raw side uses classic-level's fastest form, the chained batch (as LevelStorage does).
    const rawPut = await opsPerSecond(N, async () => {
      for (const b of batches) {
        const chained = raw.batch();
        for (const op of b) chained.put(op.key, op.value);
        await chained.write({ sync: false });
      }
    });
    const ourPut = await opsPerSecond(N, async () => {
      for (const b of batches) await ours.batch(b);
    });
    row('batch put (1k/batch), keys/s', ourPut, rawPut, 'default: key count on demand');
    const counted = await LevelStorage.open(join(dir.path, 'counted'), { syncMode: 'off', trackKeyCount: true });
    const countedPut = await opsPerSecond(N, async () => {
      for (const b of batches) await counted.batch(b);
    });
    await counted.close();
    row('batch put, trackKeyCount: true', countedPut, rawPut, 'exact count kept: a read per key');

    const rawGet = await opsPerSecond(N, async () => {
      for (const k of keys) await raw.get(k);
    });
    const ourGet = await opsPerSecond(N, async () => {
      for (const k of keys) await ours.get(k);
    });
    row('sequential awaited get, ops/s', ourGet, rawGet);

    const rawSync = await opsPerSecond(N, () => {
      for (const k of keys) raw.getSync(k);
    });
    const ourSync = await opsPerSecond(N, () => {
      for (const k of keys) ours.getSync(k);
    });
    row('getSync, ops/s', ourSync, rawSync);

    const rawScan = await opsPerSecond(N, async () => {
      const it = raw.iterator({ highWaterMarkBytes: 256 * 1024 }); // same read-ahead as ours
      while ((await it.nextv(1000)).length > 0);
      await it.close();
    });
    const ourScan = await opsPerSecond(N, async () => {
      const it = ours.iterator();
      while ((await it.nextv(1000)).length > 0);
      await it.close();
    });
    const ourForAwait = await opsPerSecond(N, async () => {
      for await (const _ of ours.iterator());
    });
    row(`scan ${N} rows (nextv 1000), rows/s`, ourScan, rawScan);
    row(`scan ${N} rows (for await), rows/s`, ourForAwait, rawScan, 'vs raw nextv');
  } finally {
    await ours.close();
    await raw.close();
  }

  // Durable commits. Baseline: raw put with sync: true, one at a time (per-commit fsync).
  const COMMITS = size(2_000, 300);
  const rawDurable = new ClassicLevel<Buffer, Buffer>(join(dir.path, 'raw-sync'), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await rawDurable.open();
  const perCommitFsync = await opsPerSecond(COMMITS, async () => {
    for (let i = 0; i < COMMITS; i++) await rawDurable.put(keys[i]!, value, { sync: true });
  });
  await rawDurable.close();
  const commitRows: string[][] = [];
  for (const mode of ['full', 'normal', 'off'] as SyncMode[]) {
    for (const inFlight of [1, 64]) {
      const s = await LevelStorage.open(join(dir.path, `txn-${mode}-${inFlight}`), { syncMode: mode });
      let next = 0;
      const rate = await opsPerSecond(COMMITS, async () => {
        await Promise.all(
          Array.from({ length: inFlight }, async () => {
            while (next < COMMITS) {
              const i = next++;
              const txn = s.beginTransaction();
              await txn.put(keys[i]!, value);
              await txn.commit();
            }
          }),
        );
      });
      const stats = s.stats();
      await s.close();
      commitRows.push([
        `1-key txn commit, syncMode '${mode}', ${inFlight} in flight`,
        formatRate(rate),
        formatRate(perCommitFsync),
        `${(rate / perCommitFsync).toFixed(1)}×`,
        `${stats.syncs} fsyncs for ${COMMITS} commits`,
      ]);
    }
  }
  dir.cleanup();

  printTable(['operation', 'SochDB', 'raw classic-level', 'ours/raw', 'note'], rows);
  console.log('');
  printTable(['durable commits', 'SochDB commits/s', 'raw put sync:true, 1 at a time', 'ratio', 'note'], commitRows);
}
