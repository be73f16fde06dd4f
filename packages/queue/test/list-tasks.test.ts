// Listing what a storage holds: every queue's name (one seek per queue), and every task of a
// queue in any state, for exports and audits (issue 22's `sochdb inspect` and `export --queue`).
import type { Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { listQueues, PriorityQueue } from '../src/index.js';

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

it('listQueues names every queue once, in order, whatever its size', async () => {
  expect(await listQueues(storage)).toEqual([]);
  await storage.put('kv-before', 'x');
  for (const name of ['mail', 'a', 'mail-dead', 'zz']) {
    const q = new PriorityQueue(storage, name);
    await q.enqueueBatch(Array.from({ length: name === 'mail' ? 500 : 2 }, (_, i) => ({ priority: i % 3, payload: `${name}${i}` })));
  }
  await storage.put('zzz-after', 'x');
  expect(await listQueues(storage)).toEqual(['a', 'mail', 'mail-dead', 'zz']);
});

it('tasks() yields every task in any state, in id order, also of an in-memory queue', async () => {
  let now = 1_000;
  const q = new PriorityQueue(storage, 'jobs', { clock: () => now, maxAttempts: 1 });
  await q.enqueue({ taskId: 'c-pending', priority: 2, payload: 'p', metadata: { k: 1 } });
  await q.enqueue({ taskId: 'a-delayed', priority: 0, payload: 'd', delayMs: 60_000 });
  await q.enqueue({ taskId: 'b-claimed', priority: 1, payload: 'c' });
  await q.enqueue({ taskId: 'd-done', priority: 5, payload: 'gone' });
  const claimed = await q.dequeue({ workerId: 'w' });
  expect(claimed?.taskId).toBe('b-claimed');
  const done = await q.dequeue({ workerId: 'w' });
  expect(done?.taskId).toBe('c-pending');
  await q.nack(done!); // out of attempts: dead
  const last = await q.dequeue({ workerId: 'w' });
  await q.ack(last!);
  now += 1;
  const seen = [];
  for await (const task of q.tasks()) seen.push([task.taskId, task.state, task.payload.toString()]);
  expect(seen).toEqual([
    ['a-delayed', 'delayed', 'd'],
    ['b-claimed', 'claimed', 'c'],
    ['c-pending', 'dead', 'p'],
  ]);
  const memory = PriorityQueue.inMemory('mem');
  await memory.enqueue({ taskId: 'm', priority: 0, payload: 'x' });
  const inMemory = [];
  for await (const task of memory.tasks()) inMemory.push(task.taskId);
  expect(inMemory).toEqual(['m']);
  await memory.close();
});
