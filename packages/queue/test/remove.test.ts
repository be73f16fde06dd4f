// remove(taskId): one task out of the queue, in every mode and state, alone or in a transaction.
import { ValidationError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalQueueClient, PriorityQueue, QueueError, TaskClaimedError, type QueueClient } from '../src/index.js';
import { text } from './helpers.js';

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

describe.each(['exclusive', 'shared'] as const)('%s mode', (mode) => {
  const queue = (name = 'jobs', config = {}) => new PriorityQueue(storage, name, { mode, ...config });

  it('removes a pending task (returned as it was) and leaves the others in order', async () => {
    const q = queue();
    for (const id of ['a', 'b', 'c']) await q.enqueue({ priority: 1, payload: `job ${id}`, taskId: id, metadata: { n: id } });
    const removed = await q.remove('b');
    expect(removed).toMatchObject({ taskId: 'b', state: 'pending', metadata: { n: 'b' } });
    expect(text(removed!.payload)).toBe('job b');
    expect(await q.getTask('b')).toBeNull();
    expect(await q.remove('b')).toBeNull();
    expect(await q.remove('never')).toBeNull();
    expect((await q.stats()).total).toBe(2);
    expect((await q.topK(5)).map((t) => t.taskId)).toEqual(['a', 'c']);
    // The id is free again.
    await expect(q.enqueue({ priority: 0, payload: 'again', taskId: 'b' })).resolves.toBe('b');
  });

  it('a claimed task is refused (TaskClaimedError 7004) unless includeClaimed, and then its ack finds nothing', async () => {
    const q = queue();
    await q.enqueue({ priority: 1, payload: 'x', taskId: 'held' });
    const task = await q.dequeue({ workerId: 'w1' });
    const refused = await q.remove('held').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TaskClaimedError);
    expect(refused).toMatchObject({ code: 7004, taskId: 'held' });
    expect((await q.getTask('held'))?.state).toBe('claimed');
    const removed = await q.remove('held', { includeClaimed: true });
    expect(removed).toMatchObject({ taskId: 'held', state: 'claimed' });
    expect(removed!.history.map((attempt) => attempt.workerId)).toEqual(['w1']);
    expect(await q.ack(task!)).toBe(false);
    expect((await q.stats()).total).toBe(0);
  });

  it('removes delayed and dead tasks too', async () => {
    const q = queue('plain', { maxAttempts: 1 });
    await q.enqueue({ priority: 1, payload: 'later', taskId: 'delayed', delayMs: 60_000 });
    await q.enqueue({ priority: 1, payload: 'fails', taskId: 'dead' });
    const task = await q.dequeue({ workerId: 'w' });
    await q.nack(task!);
    expect((await q.getTask('dead'))?.state).toBe('dead');
    expect(await q.remove('delayed')).toMatchObject({ state: 'delayed' });
    expect(await q.remove('dead')).toMatchObject({ state: 'dead' });
    expect(await q.stats()).toMatchObject({ pending: 0, delayed: 0, claimed: 0 });
    expect(await q.topK(5)).toEqual([]);
    expect(await q.getTask('dead')).toBeNull();
  });

  it("in a transaction: gone only once it commits, back if it aborts, atomic with the caller's other writes", async () => {
    const dead = queue('jobs-dead');
    const jobs = queue('jobs');
    await dead.enqueue({ priority: 3, payload: 'retry me', taskId: 'letter' });
    const txn = storage.beginTransaction();
    const letter = await dead.remove('letter', { txn });
    await jobs.enqueue({ priority: letter!.priority, payload: letter!.payload, taskId: 'letter' }, { txn });
    await txn.abort();
    expect((await dead.getTask('letter'))?.state).toBe('pending');
    expect(await jobs.getTask('letter')).toBeNull();
    await storage.transaction(async (t) => {
      const again = await dead.remove('letter', { txn: t });
      await jobs.enqueue({ priority: again!.priority, payload: again!.payload, taskId: 'letter' }, { txn: t });
    });
    expect(await dead.getTask('letter')).toBeNull();
    expect(await jobs.getTask('letter')).toMatchObject({ state: 'pending', priority: 3 });
    // Reopened from storage, the queues agree.
    expect(await new PriorityQueue(storage, 'jobs-dead', { mode }).getTask('letter')).toBeNull();
  });

  it('bad input is a ValidationError', async () => {
    const q = queue();
    await expect(q.remove('')).rejects.toBeInstanceOf(ValidationError);
    await expect(q.remove(42 as never)).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('through a client', () => {
  it('the in-memory queue (its own client) removes; a client without queueRemove says it cannot', async () => {
    const memory = PriorityQueue.inMemory('m');
    await memory.enqueue({ priority: 1, payload: 'x', taskId: 't' });
    expect(await memory.remove('t')).toMatchObject({ taskId: 't' });
    await memory.close();

    const local = new LocalQueueClient(storage);
    const { queueRemove: _ignored, ...rest } = Object.fromEntries(
      Object.getOwnPropertyNames(LocalQueueClient.prototype).map((key) => [key, (local as unknown as Record<string, unknown>)[key]]),
    ) as Record<string, unknown>;
    const older = Object.fromEntries(Object.entries(rest).map(([key, fn]) => [key, typeof fn === 'function' ? fn.bind(local) : fn])) as unknown as QueueClient;
    const q = PriorityQueue.fromClient(older, 'jobs');
    await q.enqueue({ priority: 1, payload: 'x', taskId: 'kept' });
    await expect(q.remove('kept')).rejects.toBeInstanceOf(QueueError);
    expect(await q.getTask('kept')).not.toBeNull();
  });
});
