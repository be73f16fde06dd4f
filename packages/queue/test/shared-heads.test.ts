// Shared mode starts its index reads where it knows the ranges start (IndexHeads), learning of
// other processes' commits from the commit feed, and serves a process's concurrent dequeues and
// acks with one transaction each. These tests check that neither ever changes an answer: a task
// another process makes ready before the remembered head is still dequeued first.
import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { PriorityQueue, type Task } from '@sochdb/queue';
import { ManualClock, asAnotherProcess, orderIndexMismatches, text } from './helpers.js';

const factories: StorageFactory[] = [];
afterEach(async () => {
  for (const f of factories.splice(0)) await f.cleanup();
});

async function open(): Promise<Storage> {
  const f = persistentFactory();
  factories.push(f);
  return f.open();
}

/** A deterministic pseudo-random sequence (xorshift), so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('shared mode: remembered heads never hide a task', () => {
  it.each([1, 2, 3])(
    'random enqueues, delays, nacks and acks by another process: each dequeue takes what a fresh reader ranks first (seed %i)',
    async (seed) => {
      const storage = await open();
      const clock = new ManualClock();
      const config = { mode: 'shared' as const, clock: clock.read, visibilityTimeoutMs: 1_000, maxAttempts: 100 };
      const worker = new PriorityQueue(storage, 'jobs', config);
      // Another process: its commits reach the worker only through the commit feed.
      const other = new PriorityQueue(asAnotherProcess(storage), 'jobs', config);
      const next = random(seed);
      let n = 0;
      const held: Task[] = [];
      for (let step = 0; step < 400; step++) {
        const r = next();
        if (r < 0.35) {
          await other.enqueue({ payload: `t${n++}`, priority: Math.floor(next() * 5), delayMs: next() < 0.2 ? Math.floor(next() * 3_000) : 0 });
        } else if (r < 0.45 && held.length > 0) {
          // Back to the queue, keeping its place (or later): a key before the remembered head.
          await other.nack(held.splice(Math.floor(next() * held.length), 1)[0]!, { delayMs: next() < 0.5 ? 0 : 500 });
        } else if (r < 0.55 && held.length > 0) {
          await other.ack(held.splice(0, 1)[0]!); // false when its lease ran out meanwhile
        } else if (r < 0.62) {
          clock.advance(Math.floor(next() * 1_500)); // delays come due, leases run out
        } else {
          // A fresh engine (no remembered heads) ranks the queue from the start of each range.
          const [expected] = await new PriorityQueue(asAnotherProcess(storage), 'jobs', config).topK(1);
          const task = await worker.dequeue({ workerId: 'w' });
          expect(task?.taskId, `step ${step}`).toBe(expected?.taskId);
          if (task !== null) held.push(task);
        }
      }
      expect(await orderIndexMismatches(storage, 'jobs')).toEqual([]);
      await storage.close();
    },
  );

  it('after the commit feed has dropped what it missed (a gap), the next dequeue reads from the start and still takes the best task', async () => {
    const f = persistentFactory();
    factories.push(f);
    // The smallest feed the config allows, so that other commits push the worker out of it.
    const storage = await f.open({ changeLogBytes: 1024 });
    const worker = new PriorityQueue(storage, 'jobs', { mode: 'shared' });
    const other = new PriorityQueue(asAnotherProcess(storage), 'jobs', { mode: 'shared' });
    await other.enqueueBatch(Array.from({ length: 20 }, (_, i) => ({ payload: `low${i}`, priority: 5 })));
    expect(text((await worker.dequeue({ workerId: 'w' }))!.payload)).toBe('low0');
    for (let i = 0; i < 50; i++) await storage.put(`filler/${i}/${'x'.repeat(100)}`, 'v'); // well past 1 KiB of keys
    await other.enqueue({ payload: 'urgent', priority: 0 });
    for (let i = 0; i < 50; i++) await storage.put(`filler/${i}/${'y'.repeat(100)}`, 'v');
    expect(text((await worker.dequeue({ workerId: 'w' }))!.payload)).toBe('urgent');
    expect(text((await worker.dequeue({ workerId: 'w' }))!.payload)).toBe('low1');
    await storage.close();
  });
});

describe('shared mode: concurrent calls of one process share a transaction', () => {
  it('32 dequeues at once take the 32 best tasks, in order of the calls, each once; 32 acks at once all land', async () => {
    const storage = await open();
    const q = new PriorityQueue(storage, 'jobs', { mode: 'shared' });
    await q.enqueueBatch(Array.from({ length: 100 }, (_, i) => ({ payload: String(i), priority: i % 4 })));
    const before = (await storage.currentStats()).transactionsCommitted;
    const tasks = await Promise.all(Array.from({ length: 32 }, (_, w) => q.dequeue({ workerId: `w${w}` })));
    // Priority 0 first (every fourth task), then priority 1, in enqueue order.
    expect(tasks.map((t) => Number(text(t!.payload)))).toEqual([
      ...Array.from({ length: 25 }, (_, i) => i * 4),
      ...Array.from({ length: 7 }, (_, i) => i * 4 + 1),
    ]);
    expect(tasks.map((t) => t!.workerId)).toEqual(Array.from({ length: 32 }, (_, w) => `w${w}`));
    expect(await Promise.all(tasks.map((t) => q.ack(t!)))).toEqual(Array(32).fill(true));
    // One claim transaction and one ack transaction (a few more if the calls straddled a turn).
    expect((await storage.currentStats()).transactionsCommitted - before).toBeLessThanOrEqual(6);
    expect(await q.stats()).toMatchObject({ pending: 68, claimed: 0, completed: 32 });
    // The same claim twice in one batch: acked once.
    const [t] = await Promise.all([q.dequeue({ workerId: 'x' })]);
    expect(await Promise.all([q.ack(t!), q.ack(t!)])).toEqual([true, false]);
    await storage.close();
  });

  it('more dequeues than ready tasks: the first calls get the tasks, the rest get null', async () => {
    const storage = await open();
    const q = new PriorityQueue(storage, 'jobs', { mode: 'shared' });
    await q.enqueueBatch([
      { payload: 'a', priority: 1 },
      { payload: 'b', priority: 1 },
    ]);
    const tasks = await Promise.all(Array.from({ length: 5 }, () => q.dequeue({ workerId: 'w' })));
    expect(tasks.map((t) => (t === null ? null : text(t.payload)))).toEqual(['a', 'b', null, null, null]);
    await storage.close();
  });

  it('a failing batch fails each of its calls with the typed error, and the queue works on', async () => {
    const storage = await open();
    const q = new PriorityQueue(storage, 'jobs', { mode: 'shared' });
    await q.enqueue({ payload: 'a', priority: 1 });
    await storage.close();
    const results = await Promise.allSettled([q.dequeue({ workerId: 'w' }), q.dequeue({ workerId: 'w' })]);
    for (const r of results) expect(r.status === 'rejected' && (r.reason as { code?: number }).code).toBeTypeOf('number');
  });
});

describe('shared mode: two batches at once', () => {
  it('a dequeue made after its own enqueue committed never answers null (8 loops of enqueue, dequeue, ack)', async () => {
    // The second batch's snapshot may still show tasks that the first batch claimed since; it
    // skips them (claiming them again would only conflict), and must then not report an empty
    // queue from that snapshot: each loop's own task was pending when its dequeue began.
    const storage = await open();
    const queue = new PriorityQueue(storage, 'jobs', { mode: 'shared', visibilityTimeoutMs: 60_000 });
    const total = 600;
    let next = 0;
    const nulls: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = next++; i < total; i = next++) {
          await queue.enqueue({ priority: i % 10, payload: String(i) });
          const task = await queue.dequeue({ workerId: `w${w}` });
          if (task === null) nulls.push(i);
          else expect(await queue.ack(task)).toBe(true);
        }
      }),
    );
    expect(nulls).toEqual([]);
    expect(await queue.stats()).toMatchObject({ pending: 0, claimed: 0, completed: total });
  });
});
