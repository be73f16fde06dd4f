// readQueueDepths: the depths of stored queues read from storage alone, compared with
// PriorityQueue.stats() at each step of a queue's life, in both modes.
import { encodeKey, ValidationError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PriorityQueue, queueNameOfKey, readQueueDepths, type QueueStats } from '../src/index.js';
import { ManualClock } from './helpers.js';

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

const depthsOf = (s: QueueStats) => ({ pending: s.pending, delayed: s.delayed, claimed: s.claimed });

/** The depths of `queue` read from a snapshot at the test clock's now, without its changesAt. */
async function stored(queue: string): Promise<{ pending: number; delayed: number; claimed: number }> {
  await using snapshot = storage.snapshot();
  const [depth] = await readQueueDepths(snapshot, { names: [queue], now: clock.now, maxAttempts: 2 });
  return { pending: depth!.pending, delayed: depth!.delayed, claimed: depth!.claimed };
}

describe.each(['exclusive', 'shared'] as const)('%s mode', (mode) => {
  it('equals stats() after enqueue, dequeue, delay, nack, ack and lease expiry (and a dead-lettered last delivery)', async () => {
    const q = new PriorityQueue(storage, 'jobs', { visibilityTimeoutMs: 1000, maxAttempts: 2, clock: clock.read, mode });
    const check = async () => expect(await stored('jobs')).toEqual(depthsOf(await q.stats()));

    await q.enqueueBatch([
      { priority: 1, payload: 'a' },
      { priority: 2, payload: 'b' },
      { priority: 3, payload: 'c' },
      { priority: 4, payload: 'd' },
    ]);
    await q.enqueue({ priority: 0, payload: 'later', delayMs: 500 });
    await check();
    expect(await stored('jobs')).toEqual({ pending: 4, delayed: 1, claimed: 0 });

    const first = await q.dequeue({ workerId: 'w1' });
    const second = await q.dequeue({ workerId: 'w1' });
    await check();
    expect(await stored('jobs')).toEqual({ pending: 2, delayed: 1, claimed: 2 });

    await q.ack(first!.taskId);
    await q.nack(second!.taskId, { delayMs: 2000 });
    await check();
    expect(await stored('jobs')).toEqual({ pending: 2, delayed: 2, claimed: 0 });

    // No write: the delay runs out and the lease of a new claim runs out, by the clock alone.
    const third = await q.dequeue({ workerId: 'w2' });
    expect(third!.payload.toString()).toBe('c');
    clock.advance(600); // 'later' is due
    await check();
    expect(await stored('jobs')).toEqual({ pending: 2, delayed: 1, claimed: 1 });
    clock.advance(500); // c's lease (1000 ms) has ended: pending again, attempt 1 of 2
    await check();
    expect(await stored('jobs')).toEqual({ pending: 3, delayed: 1, claimed: 0 });

    // c's second delivery's lease runs out too: its last attempt, so it is in no state any more.
    await q.ack((await q.dequeue({ workerId: 'w3' }))!.taskId); // 'later' (priority 0)
    const again = await q.dequeue({ workerId: 'w3' });
    expect(again).toMatchObject({ taskId: third!.taskId, attempts: 2 });
    clock.advance(1001);
    const last = await stored('jobs');
    await check();
    expect(last).toEqual({ pending: 2, delayed: 0, claimed: 0 }); // d, and b whose 2 s nack delay ended
    expect((await q.stats()).deadLettered).toBe(1);
    await q.close();
  });
});

it('lists every stored queue (names in order, zeros for a queue without tasks) and says when the counts change by the clock', async () => {
  const a = new PriorityQueue(storage, 'a', { clock: clock.read, visibilityTimeoutMs: 5000 });
  const b = new PriorityQueue(storage, 'b', { clock: clock.read });
  await b.enqueue({ priority: 1, payload: 'x', delayMs: 300 });
  await a.enqueue({ priority: 1, payload: 'y' });
  await a.dequeue({ workerId: 'w' });
  const depths = await readQueueDepths(storage, { now: clock.now });
  expect(depths).toEqual([
    { queue: 'a', pending: 0, delayed: 0, claimed: 1, changesAt: clock.now + 5000 },
    { queue: 'b', pending: 0, delayed: 1, claimed: 0, changesAt: clock.now + 300 },
  ]);
  expect(await readQueueDepths(storage, { names: ['none'], now: clock.now })).toEqual([{ queue: 'none', pending: 0, delayed: 0, claimed: 0 }]);
  // Once the delay is over, nothing in b waits on the clock.
  expect((await readQueueDepths(storage, { names: ['b'], now: clock.now + 300 }))[0]).toEqual({ queue: 'b', pending: 1, delayed: 0, claimed: 0 });
  expect(queueNameOfKey(encodeKey(['q', 'b', 's', 'id']))).toBe('b');
  expect(queueNameOfKey(encodeKey(['vec', 'b']))).toBeUndefined();
  await a.close();
  await b.close();
});

it('refuses bad options with a ValidationError naming the field', async () => {
  for (const [options, field] of [
    [{ names: 'jobs' }, 'names'],
    [{ names: [''] }, 'names[0]'],
    [{ now: Number.NaN }, 'now'],
    [{ maxAttempts: 0 }, 'maxAttempts'],
  ] as const) {
    const error = await readQueueDepths(storage, options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
  }
});
