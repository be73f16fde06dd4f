import { keyRange, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClaimLostError, PriorityQueue, type QueueConfigInput } from '../src/index.js';
import { ManualClock, text } from './helpers.js';

let factory: StorageFactory;
let storage: Storage;
let clock: ManualClock;
beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
  clock = new ManualClock();
});
afterEach(async () => {
  await storage.close();
  await factory.cleanup();
});
let mode: 'exclusive' | 'shared' = 'exclusive';
const open = (config: QueueConfigInput = {}, name = 'tasks'): PriorityQueue =>
  new PriorityQueue(storage, name, { visibilityTimeoutMs: 1000, clock: clock.read, mode, ...config });

describe.each(['exclusive', 'shared'] as const)('%s mode', (m) => {
  beforeEach(() => {
    mode = m;
  });

  describe('leases', () => {
    it('a claimed task is invisible until its lease ends, then visible again with the delivery counted', async () => {
      const q = open({ maxAttempts: 5 });
      const id = await q.enqueue({ priority: 1, payload: 'job' });
      const first = await q.dequeue({ workerId: 'w1' });
      expect(first).toMatchObject({ taskId: id, attempts: 1, workerId: 'w1', state: 'claimed', leaseExpiresAt: clock.now + 1000 });
      expect(await q.dequeue({ workerId: 'w2' })).toBeNull();
      expect(await q.stats()).toMatchObject({ pending: 0, claimed: 1 });
      clock.advance(999);
      expect(await q.dequeue({ workerId: 'w2' })).toBeNull();
      clock.advance(1);
      expect(await q.stats()).toMatchObject({ pending: 1, claimed: 0 });
      const second = await q.dequeue({ workerId: 'w2' });
      expect(second).toMatchObject({ taskId: id, attempts: 2, workerId: 'w2' });
      expect(second!.history.map((h) => [h.workerId, h.outcome])).toEqual([
        ['w1', 'expired'],
        ['w2', 'claimed'],
      ]);
    });

    it('dequeue can ask for its own lease length', async () => {
      const q = open();
      await q.enqueue({ priority: 1, payload: 'job' });
      const t = await q.dequeue({ workerId: 'w', visibilityTimeoutMs: 50 });
      expect(t!.leaseExpiresAt).toBe(clock.now + 50);
      clock.advance(50);
      expect(await q.dequeue({ workerId: 'w2' })).not.toBeNull();
    });

    it("a stale worker cannot ack, nack or extend the new owner's claim", async () => {
      const q = open({ maxAttempts: 5 });
      await q.enqueue({ priority: 1, payload: 'job' });
      const stale = await q.dequeue({ workerId: 'slow' });
      clock.advance(1000);
      const fresh = await q.dequeue({ workerId: 'fast' });
      expect(fresh!.claimToken).not.toBe(stale!.claimToken);
      expect(await q.ack(stale!)).toBe(false);
      expect(await q.ack(stale!.taskId, { claimToken: stale!.claimToken })).toBe(false);
      expect(await q.nack(stale!)).toBe(false);
      await expect(q.extendVisibility(stale!, 5000)).rejects.toBeInstanceOf(ClaimLostError);
      await expect(q.extendVisibility(stale!, 5000)).rejects.toMatchObject({ code: 7001 });
      expect((await q.getTask(fresh!.taskId))?.state).toBe('claimed');
      expect(await q.ack(fresh!)).toBe(true);
      expect(await q.ack(fresh!)).toBe(false);
    });

    it('a worker whose lease ran out may still ack while nobody else has claimed the task', async () => {
      const q = open();
      await q.enqueue({ priority: 1, payload: 'job' });
      const t = await q.dequeue({ workerId: 'w' });
      clock.advance(5000);
      expect(await q.stats()).toMatchObject({ pending: 1, claimed: 0 });
      expect(await q.ack(t!)).toBe(true);
      expect(await q.stats()).toMatchObject({ pending: 0, completed: 1, total: 1 });
    });

    it('extendVisibility counts from the call', async () => {
      const q = open();
      await q.enqueue({ priority: 1, payload: 'job' });
      const t = await q.dequeue({ workerId: 'w' });
      clock.advance(900);
      expect(await q.extendVisibility(t!, 1000)).toBe(clock.now + 1000);
      clock.advance(999);
      expect(await q.dequeue({ workerId: 'w2' })).toBeNull();
      clock.advance(1);
      expect(await q.dequeue({ workerId: 'w2' })).not.toBeNull();
    });

    it('ack is true once and false after; unknown or never-delivered tasks give false', async () => {
      const q = open();
      const id = await q.enqueue({ priority: 1, payload: 'job' });
      expect(await q.ack(id)).toBe(false); // not delivered yet
      expect(await q.ack('unknown')).toBe(false);
      const t = await q.dequeue({ workerId: 'w' });
      expect(await q.ack(t!.taskId)).toBe(true);
      expect(await q.ack(t!.taskId)).toBe(false);
      expect(await q.nack(t!.taskId)).toBe(false);
      expect(await q.getTask(id)).toBeNull();
    });
  });

  describe('nack, delays and dead letters', () => {
    it('nack retries at once, or after delayMs at a new priority', async () => {
      const q = open({ maxAttempts: 10 });
      await q.enqueue({ priority: 5, payload: 'a' });
      await q.enqueue({ priority: 5, payload: 'b' });
      const a = await q.dequeue({ workerId: 'w' });
      expect(await q.nack(a!)).toBe(true);
      const again = await q.dequeue({ workerId: 'w' });
      expect(text(again!.payload)).toBe('a'); // keeps its place in the order
      expect(again!.attempts).toBe(2);
      expect(await q.nack(again!, { delayMs: 500, priority: -1 })).toBe(true);
      expect(await q.stats()).toMatchObject({ pending: 1, delayed: 1 });
      expect(text((await q.dequeue({ workerId: 'w' }))!.payload)).toBe('b');
      expect(await q.dequeue({ workerId: 'w' })).toBeNull();
      clock.advance(500);
      const late = await q.dequeue({ workerId: 'w' });
      expect(late).toMatchObject({ priority: -1, attempts: 3 });
      expect(late!.history.map((h) => h.outcome)).toEqual(['nacked', 'nacked', 'claimed']);
    });

    it('a delayed task is counted as delayed and becomes visible at its time, in priority order', async () => {
      const q = open();
      await q.enqueue({ priority: 9, payload: 'now' });
      await q.enqueue({ priority: 1, payload: 'later', delayMs: 60_000 });
      expect(await q.stats()).toMatchObject({ pending: 1, delayed: 1, total: 2 });
      expect((await q.getTask((await q.topK(1))[0]!.taskId))?.state).toBe('pending');
      clock.advance(60_000);
      expect(await q.stats()).toMatchObject({ pending: 2, delayed: 0 });
      expect(text((await q.dequeue({ workerId: 'w' }))!.payload)).toBe('later');
    });

    it('after maxAttempts deliveries (expiries count) the task moves to the dead-letter queue with its history', async () => {
      const q = open({ maxAttempts: 3, deadLetterQueue: 'failed_tasks' });
      const dlq = open({}, 'failed_tasks');
      const id = await q.enqueue({ priority: 7, payload: 'poison', metadata: { source: 'api' } });
      await q.nack((await q.dequeue({ workerId: 'w1' }))!);
      await q.dequeue({ workerId: 'w2' });
      clock.advance(1000); // w2's lease expires: the second delivery still counts
      const third = await q.dequeue({ workerId: 'w3' });
      expect(third!.attempts).toBe(3);
      expect(await q.nack(third!)).toBe(true);
      expect(await q.stats()).toEqual({ pending: 0, delayed: 0, claimed: 0, completed: 0, deadLettered: 1, total: 1 });
      expect(await q.getTask(id)).toBeNull();
      const dead = await dlq.dequeue({ workerId: 'inspector' });
      expect(dead).toMatchObject({ taskId: id, priority: 7, metadata: { source: 'api' } });
      expect(text(dead!.payload)).toBe('poison');
      expect(dead!.deadLetter).toMatchObject({ queue: 'tasks', taskId: id, attempts: 3 });
      expect(dead!.deadLetter!.history.map((h) => [h.workerId, h.outcome])).toEqual([
        ['w1', 'nacked'],
        ['w2', 'expired'],
        ['w3', 'nacked'],
      ]);
    });

    it('a lease that expires on the last attempt dead-letters the task', async () => {
      const q = open({ maxAttempts: 1, deadLetterQueue: 'dlq' });
      await q.enqueue({ priority: 1, payload: 'x' });
      await q.dequeue({ workerId: 'w' });
      clock.advance(1000);
      expect(await q.dequeue({ workerId: 'w' })).toBeNull();
      expect(await q.stats()).toMatchObject({ deadLettered: 1, claimed: 0, pending: 0, total: 1 });
      expect((await open({}, 'dlq').stats()).pending).toBe(1);
    });

    it('without a dead-letter queue the task is kept, marked dead and counted', async () => {
      const q = open({ maxAttempts: 1 });
      const id = await q.enqueue({ priority: 1, payload: 'x' });
      await q.nack((await q.dequeue({ workerId: 'w' }))!);
      expect(await q.stats()).toMatchObject({ deadLettered: 1, pending: 0, total: 1 });
      expect(await q.getTask(id)).toMatchObject({ state: 'dead', attempts: 1 });
      expect(await q.dequeue({ workerId: 'w' })).toBeNull();
      expect(await q.purge()).toBe(1);
      expect(await q.getTask(id)).toBeNull();
    });

    it('dead-letter state and counts survive a restart', async () => {
      const q = open({ maxAttempts: 1, deadLetterQueue: 'dlq' });
      await q.enqueue({ priority: 1, payload: 'x' });
      await q.nack((await q.dequeue({ workerId: 'w' }))!);
      await storage.close();
      storage = await factory.open();
      expect(await open({}, 'tasks').stats()).toMatchObject({ deadLettered: 1, total: 1 });
      expect(await open({}, 'dlq').stats()).toMatchObject({ pending: 1, total: 1 });
    });
  });

  describe('topK, peek and purge', () => {
    it('topK returns the next k in dequeue order without claiming; delayed and claimed tasks are left out', async () => {
      const q = open();
      await q.enqueueBatch([3, 1, 2, 0].map((p) => ({ priority: p, payload: `p${p}` })));
      await q.enqueue({ priority: -5, payload: 'delayed', delayMs: 10 });
      const claimed = await q.dequeue({ workerId: 'w' });
      expect(text(claimed!.payload)).toBe('p0');
      expect((await q.topK(2)).map((t) => text(t.payload))).toEqual(['p1', 'p2']);
      expect((await q.topK(100)).map((t) => text(t.payload))).toEqual(['p1', 'p2', 'p3']);
      expect(await q.topK(0)).toEqual([]);
      expect(text((await q.peek())!.payload)).toBe('p1');
      expect((await q.stats()).pending).toBe(3);
      expect(await q.purge()).toBe(4); // the claimed task stays
      expect(await q.stats()).toMatchObject({ pending: 0, delayed: 0, claimed: 1 });
      expect(await q.purge({ includeClaimed: true })).toBe(1);
      expect(await q.ack(claimed!)).toBe(false);
      expect(await q.peek()).toBeNull();
    });
  });
});

describe('durable counters', () => {
  beforeEach(() => {
    mode = 'exclusive';
  });

  it('completed stays exact past the point where its deltas are folded (1,024), across restarts', async () => {
    const n = 1100;
    const q = open();
    await q.enqueueBatch(Array.from({ length: n }, (_, i) => ({ priority: 0, payload: String(i) })));
    await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        for (let t = await q.dequeue({ workerId: `w${w}` }); t; t = await q.dequeue({ workerId: `w${w}` })) await q.ack(t);
      }),
    );
    expect(await q.stats()).toMatchObject({ completed: n, total: n });
    await storage.close();
    storage = await factory.open();
    const reopened = open();
    expect(await reopened.stats()).toMatchObject({ completed: n, total: n, pending: 0 });
    await reopened.enqueue({ priority: 0, payload: 'one more' });
    await reopened.ack((await reopened.dequeue({ workerId: 'w' }))!);
    await storage.close();
    storage = await factory.open();
    expect((await open().stats()).completed).toBe(n + 1);
  });
});

describe('durable counters in shared mode', () => {
  it('stay exact while stats folds their delta keys in the background', async () => {
    const n = 1100;
    const q = new PriorityQueue(storage, 'tasks', { mode: 'shared' });
    for (let i = 0; i < n; i++) {
      await q.enqueue({ priority: 0, payload: String(i) });
      expect(await q.ack((await q.dequeue({ workerId: 'w' }))!)).toBe(true);
    }
    expect((await q.stats()).completed).toBe(n); // starts a fold in the background
    const deltaKeys = async (): Promise<number> => {
      let count = 0;
      for await (const _ of storage.iterator(keyRange(['q', 'tasks', 'd']))) count++;
      return count;
    };
    // Wait (up to 10 s on a busy machine) for the fold; the counts must be exact all along.
    for (let i = 0; i < 500 && (await deltaKeys()) >= 1024; i++) {
      expect((await q.stats()).completed).toBe(n);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await deltaKeys()).toBeLessThan(1024);
    expect(await q.stats()).toMatchObject({ completed: n, total: n });
    expect((await new PriorityQueue(storage, 'tasks').stats()).completed).toBe(n); // exclusive mode reads the same counters
  });
});
