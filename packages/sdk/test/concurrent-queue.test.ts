// Concurrent mode runs a queue's dequeues and acks in the owner process (the queue service of
// @sochdb/queue, provided by every Database.openConcurrent): here a client and an owner in real
// processes or one process, large payloads, an owner without the service, and an owner killed -9.
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { ConcurrentStorage } from '@sochdb/ipc';
import { PriorityQueue } from '@sochdb/queue';
import { Database } from '@sochdb/sdk';
import { repl } from './repl.js';

const dirs: ReturnType<typeof makeTempDir>[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});
function folder(): string {
  const d = makeTempDir('sochdb-queue-service-');
  dirs.push(d);
  return join(d.path, 'db');
}

describe('queue claims in the owner process', () => {
  it('a client process dequeues through the owner: exact priority order, bodies of several MiB intact', async () => {
    const path = folder();
    const ownerProcess = repl(path);
    expect(await ownerProcess.send({ kv: 'put', args: ['hello', 'owner'] })).toEqual({});
    const db = await Database.openConcurrent(path, { syncMode: 'off', lockTimeoutMs: 15_000 });
    try {
      expect((db.storage as ConcurrentStorage).isOwner).toBe(false);
      const queue = db.queue('jobs');
      // Three bodies of 3 MiB: more than one reply carries inline, so some are read by the client.
      const big = (i: number) => Buffer.alloc(3 * 1024 * 1024, i + 1);
      await queue.enqueueBatch([0, 1, 2].map((i) => ({ priority: 5, payload: big(i), taskId: `big${i}` })));
      await queue.enqueueBatch(Array.from({ length: 20 }, (_, i) => ({ priority: i % 2, payload: `small${i}` })));
      const tasks = await Promise.all(Array.from({ length: 23 }, (_, w) => queue.dequeue({ workerId: `w${w}` })));
      expect(tasks.slice(0, 20).map((t) => t!.payload.toString())).toEqual([
        ...Array.from({ length: 10 }, (_, i) => `small${i * 2}`),
        ...Array.from({ length: 10 }, (_, i) => `small${i * 2 + 1}`),
      ]);
      expect(tasks.slice(20).map((t) => t!.taskId)).toEqual(['big0', 'big1', 'big2']);
      tasks.slice(20).forEach((t, i) => expect(t!.payload.equals(big(i))).toBe(true));
      expect(await Promise.all(tasks.map((t) => queue.ack(t!)))).toEqual(Array(23).fill(true));
      expect(await queue.dequeue({ workerId: 'w' })).toBeNull();
      expect(await queue.stats()).toMatchObject({ pending: 0, claimed: 0, completed: 23 });
    } finally {
      await db.close();
      await ownerProcess.close();
    }
  }, 60_000);

  it('an owner that does not provide the service: the queue works through transactions instead', async () => {
    const path = folder();
    // A bare ConcurrentStorage (no SDK): it provides no queue service.
    const owner = await ConcurrentStorage.open(path, { syncMode: 'off' });
    const client = await ConcurrentStorage.open(path, { syncMode: 'off' });
    try {
      expect([owner.isOwner, client.isOwner]).toEqual([true, false]);
      const queue = new PriorityQueue(client, 'jobs', { mode: 'shared' });
      await queue.enqueueBatch([
        { priority: 2, payload: 'b' },
        { priority: 1, payload: 'a' },
      ]);
      const [a, b] = await Promise.all([queue.dequeue({ workerId: 'w' }), queue.dequeue({ workerId: 'w' })]);
      expect([a!.payload.toString(), b!.payload.toString()]).toEqual(['a', 'b']);
      expect(await Promise.all([queue.ack(a!), queue.ack(b!)])).toEqual([true, true]);
      expect(await queue.stats()).toMatchObject({ pending: 0, completed: 2 });
    } finally {
      await client.close();
      await owner.close();
    }
  });

  it('after the owner is killed -9, the next owner serves the claims: every task done once, a claim of the dead owner comes back', async () => {
    const path = folder();
    const ownerProcess = repl(path);
    expect(await ownerProcess.send({ kv: 'put', args: ['hello', 'owner'] })).toEqual({});
    const db = await Database.openConcurrent(path, { syncMode: 'off', lockTimeoutMs: 15_000 });
    try {
      const queue = db.queue('jobs', { visibilityTimeoutMs: 500 });
      await queue.enqueueBatch(Array.from({ length: 50 }, (_, i) => ({ priority: 1, payload: String(i) })));
      const first = await queue.dequeue({ workerId: 'before' });
      expect(first!.payload.toString()).toBe('0');
      ownerProcess.child.kill('SIGKILL');
      await once(ownerProcess.child, 'exit');
      const done = new Set<string>();
      let failures = 0;
      for (let rounds = 0; done.size < 50 && rounds < 500; rounds++) {
        try {
          const task = await queue.dequeue({ workerId: 'after' });
          if (task === null) {
            await new Promise((resolve) => setTimeout(resolve, 50)); // the lease of the first claim has to run out
            continue;
          }
          if (await queue.ack(task)) {
            expect(done.has(task.payload.toString())).toBe(false);
            done.add(task.payload.toString());
          }
        } catch (error) {
          expect(error).toBeInstanceOf(ConnectionError); // the call that met the owner's death
          failures++;
        }
      }
      expect(failures).toBeLessThanOrEqual(1);
      expect(done.size).toBe(50);
      expect((db.storage as ConcurrentStorage).isOwner).toBe(true);
    } finally {
      await db.close();
      await ownerProcess.close();
    }
  }, 60_000);
});
