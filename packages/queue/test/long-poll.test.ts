import type { Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PriorityQueue } from '../src/index.js';
import { asAnotherProcess, text } from './helpers.js';

// Real time throughout (a waiting dequeue sleeps on real timers); bounds are generous because the
// machine may be loaded: "prompt" means well under the wait, not a tight latency.

let factory: StorageFactory;
let storage: Storage;
beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
});
afterEach(async () => {
  await storage.close();
  await factory.cleanup();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `promise` and reports what it resolved with and after how many milliseconds. */
async function timed<T>(promise: Promise<T>, started = performance.now()): Promise<{ value: T; ms: number }> {
  const value = await promise;
  return { value, ms: performance.now() - started };
}

describe.each(['exclusive', 'shared'] as const)('long-poll dequeue, %s mode on LevelDB', (mode) => {
  const open = (name = 'tasks'): PriorityQueue => new PriorityQueue(storage, name, { mode, visibilityTimeoutMs: 150, maxAttempts: 5 });

  it('returns promptly after an enqueue made while it waits', async () => {
    const q = open();
    const waiting = timed(q.dequeue({ workerId: 'w', waitMs: 5_000 }));
    await sleep(50);
    await q.enqueue({ priority: 1, payload: 'late' });
    const { value, ms } = await waiting;
    expect(text(value!.payload)).toBe('late');
    expect(ms).toBeLessThan(1_000);
  });

  it('resolves null after waitMs when nothing comes, and waitMs 0 answers at once', async () => {
    const q = open();
    const { value, ms } = await timed(q.dequeue({ workerId: 'w', waitMs: 200 }));
    expect(value).toBeNull();
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(2_000);
    const now = await timed(q.dequeue({ workerId: 'w', waitMs: 0 }));
    expect(now.value).toBeNull();
    expect(now.ms).toBeLessThan(500);
  });

  it('a delayed task wakes a waiting dequeue when it is due', async () => {
    const q = open();
    await q.enqueue({ priority: 1, payload: 'later', delayMs: 250 });
    const { value, ms } = await timed(q.dequeue({ workerId: 'w', waitMs: 5_000 }));
    expect(text(value!.payload)).toBe('later');
    expect(ms).toBeGreaterThanOrEqual(200);
    expect(ms).toBeLessThan(1_500);
  });

  it('a nack and a lease that runs out wake a waiting dequeue', async () => {
    const q = open();
    await q.enqueue({ priority: 1, payload: 'job' });
    const first = await q.dequeue({ workerId: 'a' });
    const waiting = timed(q.dequeue({ workerId: 'b', waitMs: 5_000 }));
    await sleep(30);
    await q.nack(first!);
    const second = await waiting;
    expect(second.value).toMatchObject({ taskId: first!.taskId, attempts: 2 });
    expect(second.ms).toBeLessThan(1_000);
    // b never acks: its 150 ms lease runs out and c gets the task.
    const third = await timed(q.dequeue({ workerId: 'c', waitMs: 5_000 }));
    expect(third.value).toMatchObject({ taskId: first!.taskId, attempts: 3, workerId: 'c' });
    expect(third.ms).toBeLessThan(1_500);
  });

  it('an aborted signal resolves null at once, and aborting ends a wait', async () => {
    const q = open();
    expect(await q.dequeue({ workerId: 'w', waitMs: 5_000, signal: AbortSignal.abort() })).toBeNull();
    const controller = new AbortController();
    const waiting = timed(q.dequeue({ workerId: 'w', waitMs: 5_000, signal: controller.signal }));
    await sleep(30);
    controller.abort();
    const { value, ms } = await waiting;
    expect(value).toBeNull();
    expect(ms).toBeLessThan(1_000);
    await q.enqueue({ priority: 1, payload: 'still here' });
    expect((await q.stats()).pending).toBe(1); // the aborted wait claimed nothing
  });

  it('queue.close() and a closed storage end waits with null', async () => {
    const q = open();
    const byQueue = timed(q.dequeue({ workerId: 'w', waitMs: 5_000 }));
    await sleep(30);
    await q.close();
    expect((await byQueue).value).toBeNull();
    expect((await byQueue).ms).toBeLessThan(1_000);
    const other = open();
    const byStorage = timed(other.dequeue({ workerId: 'w', waitMs: 10_000 }));
    await sleep(30);
    await storage.close();
    const { value, ms } = await byStorage;
    expect(value).toBeNull();
    // Shared mode: the storage wakes its watchers as it closes; exclusive: its 1 s safety tick.
    expect(ms).toBeLessThan(mode === 'shared' ? 500 : 2_500);
    await expect(other.dequeue({ workerId: 'w', waitMs: 100 })).rejects.toMatchObject({ code: 9003 });
  });

  it('validates waitMs and signal', async () => {
    const q = open();
    for (const waitMs of [-1, Number.NaN, '5', 1.5, Infinity]) {
      await expect(q.dequeue({ workerId: 'w', waitMs: waitMs as number })).rejects.toMatchObject({ code: 6000, field: 'waitMs' });
    }
    await expect(q.dequeue({ workerId: 'w', signal: {} as AbortSignal })).rejects.toMatchObject({ code: 6000, field: 'signal' });
    await storage.transaction(async (txn) => {
      await expect(q.dequeue({ workerId: 'w', waitMs: 10, txn })).rejects.toMatchObject({ code: 6000, field: 'waitMs' });
    });
  });
});

describe('long-poll dequeue across processes and in memory', () => {
  it('shared mode sees another process enqueue within its poll interval', async () => {
    const mine = new PriorityQueue(storage, 'tasks', { mode: 'shared' });
    const theirs = new PriorityQueue(asAnotherProcess(storage), 'tasks', { mode: 'shared' });
    const waiting = timed(mine.dequeue({ workerId: 'w', waitMs: 5_000 }));
    await sleep(100);
    await theirs.enqueue({ priority: 1, payload: 'from afar' });
    const { value, ms } = await waiting;
    expect(text(value!.payload)).toBe('from afar');
    expect(ms).toBeLessThan(1_500);
  });

  it('an in-memory queue wakes on an enqueue, and close() ends its waits', async () => {
    const q = PriorityQueue.inMemory('jobs');
    const waiting = timed(q.dequeue({ workerId: 'w', waitMs: 5_000 }));
    await sleep(50);
    await q.enqueue({ priority: 1, payload: 'hello' });
    expect(text((await waiting).value!.payload)).toBe('hello');
    expect((await waiting).ms).toBeLessThan(1_000);
    const idle = timed(q.dequeue({ workerId: 'w', waitMs: 5_000 }));
    await sleep(30);
    await q.close();
    expect((await idle).value).toBeNull();
    expect((await idle).ms).toBeLessThan(2_500);
  });
});
