// Concurrent mode through Database: after the owner process dies, a process that makes only one
// kind of call recovers (ConcurrentStorage's own multi-process tests are in @sochdb/ipc).
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectionError } from '@sochdb/core';
import { Database } from '@sochdb/sdk';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { repl } from './repl.js';

describe('concurrent mode', () => {
  it('four processes draining one queue: every task exactly once, and the owner does not take them all', async () => {
    // Before retried transactions committed first, the owner's local dequeues won nearly every
    // race (1,964 of 2,000 tasks, under 1% each for the others); now each process gets a share.
    const dir = makeTempDir('sochdb-queue-share-');
    try {
      const path = join(dir.path, 'db');
      const db = await Database.open(path, { syncMode: 'off' });
      const queue = db.queue('jobs');
      for (let i = 0; i < 800; i += 400)
        await queue.enqueueBatch(Array.from({ length: 400 }, (_, j) => ({ priority: (i + j) % 3, payload: Buffer.from(String(i + j)) })));
      await db.close();
      const fixture = join(import.meta.dirname, 'fixtures', 'queue-drain.ts');
      const startAt = String(Date.now() + 5000);
      const owner = spawnTs(fixture, [path, startAt]);
      const ownerDone = waitForExit(owner);
      await new Promise((resolve) => owner.stdout!.once('data', resolve)); // READY: it holds the folder
      const results = [await Promise.all([0, 1, 2].map(() => waitForExit(spawnTs(fixture, [path, startAt])))), [await ownerDone]].flat();
      const taken = results.map((r) => {
        expect(r.code, r.stderr).toBe(0);
        const line = r.stdout.split('\n').find((l) => l.startsWith('DONE '))!;
        return { role: r.stdout.startsWith('READY owner') ? 'owner' : 'client', ids: JSON.parse(line.slice(5)) as string[] };
      });
      const all = taken.flatMap((t) => t.ids);
      expect(all).toHaveLength(800);
      expect(new Set(all).size).toBe(800);
      expect(taken.filter((t) => t.role === 'owner')).toHaveLength(1);
      const shares = taken.map((t) => `${t.role} ${t.ids.length}`).join(', ');
      for (const t of taken.filter((x) => x.role === 'client')) expect(t.ids.length, shares).toBeGreaterThanOrEqual(20);
    } finally {
      dir.cleanup();
    }
  }, 120_000);

  // Each kind of call on its own, in a process that makes no other call after the owner dies:
  // the synchronous entry points (iterator, snapshot, beginTransaction) used to keep calling the
  // dead owner forever. A call may fail once (the election it triggers may still be running);
  // from then on every call is served by the new owner.
  const onlyCalls: Record<string, (db: Database) => Promise<unknown>> = {
    scan: async (db) => {
      const keys: string[] = [];
      for await (const [k] of db.storage.iterator({ gte: 'counter', lte: 'counter' })) keys.push(k.toString());
      return keys;
    },
    snapshot: async (db) => {
      const snap = db.storage.snapshot();
      try {
        return (await snap.get('counter'))?.toString();
      } finally {
        await snap.close();
      }
    },
    'explicit transaction': async (db) => {
      const txn = db.beginTransaction();
      const value = (await txn.get('counter'))?.toString();
      await txn.put('after-failover', 'ok');
      await txn.commit();
      return value;
    },
    'SQL SELECT': async (db) => (await db.execute('SELECT count(*) AS n FROM t')).rows[0],
  };
  for (const [name, call] of Object.entries(onlyCalls)) {
    it(`after the owner is killed -9, a process that only does ${name} recovers`, async () => {
      const dir = makeTempDir('sochdb-handover-only-');
      const path = join(dir.path, 'db');
      // The owner: another process that opened the folder first and wrote to it.
      const ownerProcess = repl(path);
      expect(await ownerProcess.send({ kv: 'put', args: ['counter', '5'] })).toEqual({});
      const owner = ownerProcess.child;
      const db = await Database.openConcurrent(path, { syncMode: 'off', lockTimeoutMs: 15_000 });
      try {
        expect(db.isConcurrent).toBe(true);
        if (name === 'SQL SELECT') await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)');
        owner.kill('SIGKILL');
        await once(owner, 'exit');
        let failures = 0;
        for (let i = 0; i < 10; i++) {
          try {
            await call(db);
          } catch (error) {
            expect(error, name).toBeInstanceOf(ConnectionError);
            failures++;
            expect(i, `${name} kept failing after its first call`).toBe(0);
          }
        }
        expect(failures).toBeLessThanOrEqual(1);
      } finally {
        await db.close();
        dir.cleanup();
      }
    });
  }
});
