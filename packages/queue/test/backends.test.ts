import { LevelStorage, ValidationError, type Storage } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ClaimLostError,
  LocalQueueClient,
  PriorityQueue,
  type ClaimRef,
  type EnqueueInput,
  type QueueClient,
  type QueueStats,
  type RemoteDequeueOptions,
  type RemoteNackOptions,
  type Task,
  type TaskView,
} from '../src/index.js';
import { text } from './helpers.js';

/**
 * A stand-in for the gRPC client: every call goes through a JSON round trip (as it would over
 * the wire) to a real durable queue, and is recorded.
 */
class FakeWireClient implements QueueClient {
  readonly calls: string[] = [];
  constructor(private readonly storage: Storage) {}
  #queue(name: string): PriorityQueue {
    return new PriorityQueue(this.storage, name, { visibilityTimeoutMs: 5000 });
  }
  async #wire<T>(method: string, run: () => Promise<T>): Promise<T> {
    this.calls.push(method);
    return revive(JSON.parse(JSON.stringify(await run())) as T);
  }
  queueEnqueue(queue: string, tasks: readonly EnqueueInput[]): Promise<string[]> {
    const decoded = tasks.map((t) => ({ ...t, payload: Buffer.from(revive(JSON.parse(JSON.stringify(t.payload)) as Uint8Array)) }));
    return this.#wire('enqueue', () => this.#queue(queue).enqueueBatch(decoded));
  }
  queueDequeue(queue: string, options: RemoteDequeueOptions): Promise<Task | null> {
    return this.#wire('dequeue', () => this.#queue(queue).dequeue(options));
  }
  queueAck(queue: string, claim: ClaimRef): Promise<boolean> {
    return this.#wire('ack', () => this.#queue(queue).ack(claim));
  }
  queueNack(queue: string, claim: ClaimRef, options: RemoteNackOptions): Promise<boolean> {
    return this.#wire('nack', () => this.#queue(queue).nack(claim, options));
  }
  queueExtendVisibility(queue: string, claim: ClaimRef, ms: number): Promise<number> {
    return this.#wire('extendVisibility', () => this.#queue(queue).extendVisibility(claim, ms));
  }
  queueStats(queue: string): Promise<QueueStats> {
    return this.#wire('stats', () => this.#queue(queue).stats());
  }
  queueTopK(queue: string, k: number): Promise<TaskView[]> {
    return this.#wire('topK', () => this.#queue(queue).topK(k));
  }
  queueGetTask(queue: string, taskId: string): Promise<TaskView | null> {
    return this.#wire('getTask', () => this.#queue(queue).getTask(taskId));
  }
  queuePurge(queue: string, options: { readonly includeClaimed?: boolean }): Promise<number> {
    return this.#wire('purge', () => this.#queue(queue).purge(options));
  }
}

/** Turns JSON'd Buffers ({ type: 'Buffer', data }) back into Buffers. */
function revive<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data) : v,
  ) as T;
}

let dir: ReturnType<typeof makeTempDir>;
let storage: Storage;
beforeEach(async () => {
  dir = makeTempDir('sochdb-queue-client-');
  storage = await LevelStorage.open(`${dir.path}/db`);
});
afterEach(async () => {
  await storage.close();
  dir.cleanup();
});

describe('fromClient', () => {
  it('delegates every operation to the client, and the server-side queue does the work', async () => {
    const client = new FakeWireClient(storage);
    const q = PriorityQueue.fromClient(client, 'remote');
    const [a] = await q.enqueueBatch([
      { priority: 2, payload: 'two' },
      { priority: 1, payload: 'one' },
    ]);
    expect((await q.topK(5)).map((t) => text(t.payload))).toEqual(['one', 'two']);
    const t1 = await q.dequeue({ workerId: 'w' });
    expect(text(t1!.payload)).toBe('one');
    expect(await q.extendVisibility(t1!, 1000)).toBeGreaterThan(0);
    expect(await q.ack(t1!)).toBe(true);
    const t2 = await q.dequeue({ workerId: 'w' });
    expect(t2?.taskId).toBe(a);
    expect(await q.nack(t2!, { delayMs: 10_000 })).toBe(true);
    expect((await q.getTask(a!))?.state).toBe('delayed');
    expect(await q.stats()).toMatchObject({ delayed: 1, completed: 1, total: 2 });
    expect(await q.purge()).toBe(1);
    expect(client.calls).toEqual(['enqueue', 'topK', 'dequeue', 'extendVisibility', 'ack', 'dequeue', 'nack', 'getTask', 'stats', 'purge']);
    // The work really happened in the durable queue on the server side.
    expect(await new PriorityQueue(storage, 'remote').stats()).toMatchObject({ completed: 1, total: 1 });
  });

  it('validates input before anything is sent, and refuses local transactions and configs', async () => {
    const client = new FakeWireClient(storage);
    const q = PriorityQueue.fromClient(client, 'remote');
    await expect(q.enqueue({ priority: 0.5, payload: 'x' })).rejects.toBeInstanceOf(ValidationError);
    await expect(q.enqueue({ priority: 1, payload: 'x' }, { txn: storage.beginTransaction() })).rejects.toMatchObject({ field: 'txn' });
    expect(client.calls).toEqual([]);
    expect(() => new PriorityQueue(client, 'remote', { maxAttempts: 2 })).toThrow(ValidationError);
    expect(() => PriorityQueue.fromClient({} as QueueClient, 'remote')).toThrow(ValidationError);
  });

  it('errors raised by the server-side queue reach the caller with their code', async () => {
    const q = PriorityQueue.fromClient(new LocalQueueClient(storage), 'remote');
    await q.enqueue({ priority: 1, payload: 'x' });
    const t = await q.dequeue({ workerId: 'w' });
    await q.ack(t!);
    await expect(q.extendVisibility(t!, 100)).rejects.toBeInstanceOf(ClaimLostError);
  });
});

describe('inMemory', () => {
  it('is a working queue in its own memory storage, closed by close()', async () => {
    const q = PriorityQueue.inMemory('tasks', { maxAttempts: 1 });
    await q.enqueue({ priority: 1, payload: 'x' });
    const t = await q.dequeue({ workerId: 'w' });
    expect(await q.nack(t!)).toBe(true);
    expect(await q.stats()).toMatchObject({ deadLettered: 1, total: 1 });
    await q.close();
    await expect(q.stats()).rejects.toMatchObject({ code: 9003 });
  });
});

describe('fromDatabase on a concurrent Database', () => {
  it('runs in shared mode: it sees tasks other processes wrote to the storage after it opened', async () => {
    const db = { storage, isConcurrent: true };
    const here = PriorityQueue.fromDatabase(db, 'jobs');
    expect(await here.stats()).toMatchObject({ total: 0 });
    // Another process in concurrent mode: nothing shared with `here` but the storage.
    const elsewhere = new PriorityQueue(storage, 'jobs', { mode: 'shared' });
    const id = await elsewhere.enqueue({ priority: 1, payload: 'from another process' });
    const task = await here.dequeue({ workerId: 'w' });
    expect(task?.taskId).toBe(id);
    expect(await elsewhere.dequeue({ workerId: 'w2' })).toBeNull();
    expect(await elsewhere.ack(task!)).toBe(true);
    expect(await here.stats()).toMatchObject({ completed: 1, total: 1 });
  });
});
