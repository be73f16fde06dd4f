import { status as Status } from '@grpc/grpc-js';
import { ClaimLostError, DuplicateTaskError, PriorityQueue, TaskClaimedError, ValidationError, type Task } from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawUnary, rejection, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ queueConfig: (name) => (name === 'retry' ? { maxAttempts: 2, deadLetterQueue: 'retry_dead' } : undefined) });
});
afterAll(() => t.stop());

describe('QueueService through PriorityQueue.fromClient', () => {
  it('enqueues, dequeues by priority then FIFO, acks, nacks and reports stats', async () => {
    const q = PriorityQueue.fromClient(t.client, 'jobs');
    const low = await q.enqueue({ priority: 5, payload: 'low', metadata: { source: 'api' } });
    const high1 = await q.enqueue({ priority: 1, payload: Buffer.from([1, 2, 3]) });
    await q.enqueue({ priority: 1, payload: 'second' });
    expect(await q.stats()).toMatchObject({ pending: 3, claimed: 0, total: 3 });
    expect((await q.topK(2)).map((v) => v.priority)).toEqual([1, 1]);
    expect((await q.getTask(low))!.metadata).toEqual({ source: 'api' });
    expect(await q.getTask('no-such-task')).toBeNull();

    const first = (await q.dequeue({ workerId: 'w1' }))!;
    expect(first).toMatchObject({ taskId: high1, state: 'claimed', workerId: 'w1', attempts: 1 });
    expect([...first.payload]).toEqual([1, 2, 3]);
    expect(first.leaseExpiresAt).toBeGreaterThan(Date.now());
    expect(await q.ack(first)).toBe(true);

    const second = (await q.dequeue({ workerId: 'w1', visibilityTimeoutMs: 60_000 }))!;
    expect(second.payload.toString()).toBe('second');
    expect(await q.nack(second, { priority: 9 })).toBe(true);
    expect((await q.getTask(second.taskId))!.priority).toBe(9);
    expect(await q.stats()).toMatchObject({ pending: 2, claimed: 0, completed: 1 });
  });

  it('removes one task (Remove), refusing a claimed one as TaskClaimedError', async () => {
    const q = PriorityQueue.fromClient(t.client, 'removals');
    await q.enqueue({ priority: 1, payload: 'keep', taskId: 'keep' });
    await q.enqueue({ priority: 2, payload: 'drop', taskId: 'drop' });
    const removed = await q.remove('drop');
    expect(removed).toMatchObject({ taskId: 'drop', state: 'pending', priority: 2 });
    expect(removed!.payload.toString()).toBe('drop');
    expect(await q.remove('drop')).toBeNull();
    const held = (await q.dequeue({ workerId: 'w' }))!;
    await expect(q.remove(held.taskId)).rejects.toBeInstanceOf(TaskClaimedError);
    expect(await q.remove(held.taskId, { includeClaimed: true })).toMatchObject({ taskId: 'keep', state: 'claimed' });
    expect(await q.stats()).toMatchObject({ pending: 0, claimed: 0 });
  });

  it('extends a lease, and reports a lost claim as ClaimLostError (FAILED_PRECONDITION)', async () => {
    const q = t.client.queue('leases');
    await q.enqueue({ priority: 0, payload: 'x' });
    const task = (await q.dequeue({ workerId: 'w' }))!;
    const until = await q.extendVisibility(task, 120_000);
    expect(until).toBeGreaterThan(task.leaseExpiresAt);
    await q.ack(task);
    const error = await rejection(q.extendVisibility(task, 1000));
    expect(error).toBeInstanceOf(ClaimLostError);
    expect(error).toMatchObject({ code: 7001, taskId: task.taskId });
    const raw = await rawUnary(t.server, 'QueueService/ExtendVisibility', { queue: 'leases', taskId: task.taskId, claimToken: task.claimToken, ms: 1000 });
    expect(raw.code).toBe(Status.FAILED_PRECONDITION);
  });

  it('uses the server-side queue config: retries, then the dead-letter queue', async () => {
    const q = t.client.queue('retry');
    const id = await q.enqueue({ priority: 0, payload: 'flaky', taskId: 'job-1' });
    expect(id).toBe('job-1');
    await q.nack((await q.dequeue({ workerId: 'w' }))!);
    await q.nack((await q.dequeue({ workerId: 'w' }))!);
    expect(await q.dequeue({ workerId: 'w' })).toBeNull();
    const dead = await t.client.queue('retry_dead').topK(10);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.deadLetter).toMatchObject({ queue: 'retry', taskId: 'job-1', attempts: 2 });
    expect(dead[0]!.deadLetter!.history.map((h) => h.outcome)).toEqual(['nacked', 'nacked']);
  });

  it('refuses bad input with typed errors', async () => {
    const q = t.client.queue('bad');
    await q.enqueue({ priority: 0, payload: 'a', taskId: 'dup' });
    const dup = await rejection(q.enqueue({ priority: 0, payload: 'b', taskId: 'dup' }));
    expect(dup).toBeInstanceOf(DuplicateTaskError);
    expect((await rawUnary(t.server, 'QueueService/Enqueue', { queue: 'bad', tasks: [{ priority: 0, payload: Buffer.from('c'), taskId: 'dup' }] })).code).toBe(
      Status.ALREADY_EXISTS,
    );
    expect(await rejection(q.enqueue({ priority: 1.5, payload: 'x' }))).toBeInstanceOf(ValidationError);
    expect(await rejection(q.dequeue({ workerId: '' }))).toBeInstanceOf(ValidationError);
    expect((await rawUnary(t.server, 'QueueService/Dequeue', { queue: 'bad', workerId: '' })).code).toBe(Status.INVALID_ARGUMENT);
    expect(() => PriorityQueue.fromClient(t.client, 'bad')).not.toThrow();
  });

  it('never hands the same task to a worker over the wire and a worker in the server process', async () => {
    const n = 60;
    const remote = PriorityQueue.fromClient(t.client, 'shared');
    await remote.enqueueBatch(Array.from({ length: n }, (_, i) => ({ priority: i % 3, payload: `task ${i}` })));
    const local = t.server.db.queue('shared');
    const claimed: { readonly side: string; readonly task: Task }[] = [];
    const work = async (side: string, queue: PriorityQueue, worker: string) => {
      for (let task = await queue.dequeue({ workerId: worker }); task !== null; task = await queue.dequeue({ workerId: worker })) {
        claimed.push({ side, task });
        await queue.ack(task);
      }
    };
    await Promise.all([...[1, 2, 3, 4].map((i) => work('remote', remote, `remote-${i}`)), ...[1, 2, 3, 4].map((i) => work('local', local, `local-${i}`))]);
    const ids = claimed.map((c) => c.task.taskId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(n);
    // Both sides took part (about 1 in 5 over the wire here), so the claims really raced.
    expect(claimed.some((c) => c.side === 'remote')).toBe(true);
    expect(claimed.some((c) => c.side === 'local')).toBe(true);
    expect(await remote.stats()).toMatchObject({ pending: 0, claimed: 0, completed: n });
  });
});
