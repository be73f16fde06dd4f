import { TransactionConflictError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PriorityQueue } from '../src/index.js';
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

describe("inside a caller's transaction", () => {
  it("an enqueue becomes visible only when the transaction commits, atomically with the caller's other writes", async () => {
    const q = new PriorityQueue(storage, 'tasks');
    const txn = storage.beginTransaction();
    await txn.put('order/1', 'placed');
    const id = await q.enqueue({ priority: 1, payload: 'ship order 1' }, { txn });
    expect(await q.dequeue({ workerId: 'w' })).toBeNull();
    expect(await q.getTask(id)).toBeNull();
    expect((await q.stats()).total).toBe(0);
    await txn.commit();
    expect(await storage.get('order/1')).toBeDefined();
    const t = await q.dequeue({ workerId: 'w' });
    expect(t?.taskId).toBe(id);
  });

  it('an aborted transaction leaves no task behind and frees its taskId', async () => {
    const q = new PriorityQueue(storage, 'tasks');
    const txn = storage.beginTransaction();
    await q.enqueue({ priority: 1, payload: 'x', taskId: 'job' }, { txn });
    await txn.abort();
    expect(await q.stats()).toMatchObject({ total: 0 });
    expect(await q.dequeue({ workerId: 'w' })).toBeNull();
    await expect(q.enqueue({ priority: 1, payload: 'y', taskId: 'job' })).resolves.toBe('job');
    // And nothing of the aborted enqueue reached storage: reopen and look.
    await storage.close();
    storage = await factory.open();
    const reopened = new PriorityQueue(storage, 'tasks');
    expect(text((await reopened.dequeue({ workerId: 'w' }))!.payload)).toBe('y');
  });

  it('storage.transaction() with the queue inside commits on return and rolls back on throw', async () => {
    const q = new PriorityQueue(storage, 'tasks');
    await expect(
      storage.transaction(async (txn) => {
        await q.enqueue({ priority: 1, payload: 'lost' }, { txn });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await storage.transaction(async (txn) => {
      await q.enqueue({ priority: 1, payload: 'kept' }, { txn });
    });
    expect((await q.topK(10)).map((t) => text(t.payload))).toEqual(['kept']);
  });

  it('a dequeue in an aborted transaction gives the task back; a committed ack in a transaction completes it', async () => {
    const q = new PriorityQueue(storage, 'tasks');
    const id = await q.enqueue({ priority: 1, payload: 'x' });
    const txn = storage.beginTransaction();
    const claimed = await q.dequeue({ workerId: 'w', txn });
    expect(claimed?.taskId).toBe(id);
    expect(await q.dequeue({ workerId: 'other' })).toBeNull(); // held by the open transaction
    await txn.abort();
    const t = await q.dequeue({ workerId: 'w2' });
    expect(t).toMatchObject({ taskId: id, attempts: 1 }); // the aborted delivery never happened
    const ackTxn = storage.beginTransaction();
    expect(await q.ack(t!, { txn: ackTxn })).toBe(true);
    await expect(q.ack(t!)).rejects.toBeInstanceOf(TransactionConflictError); // the open transaction owns it
    await ackTxn.commit();
    expect(await q.stats()).toMatchObject({ claimed: 0, completed: 1, total: 1 });
    expect(await q.ack(t!)).toBe(false);
  });

  it('a transaction that fails to commit on a conflict leaves the queue as it was', async () => {
    const q = new PriorityQueue(storage, 'tasks');
    const txn = storage.beginTransaction();
    await txn.get('k');
    await txn.put('k', 'mine');
    await q.enqueue({ priority: 1, payload: 'x' }, { txn });
    await storage.put('k', 'theirs'); // commits first
    await expect(txn.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    expect(await q.stats()).toMatchObject({ total: 0 });
    expect(await q.dequeue({ workerId: 'w' })).toBeNull();
  });
});
