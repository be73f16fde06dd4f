// Concurrent mode through Database: after the owner process dies, a process that makes only one
// kind of call recovers (ConcurrentStorage's own multi-process tests are in @sochdb/ipc).
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectionError } from '@sochdb/core';
import { Database } from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';
import { repl } from './repl.js';

describe('concurrent mode', () => {
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
