import type { Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LocalQueueClient, PriorityQueue, type QueueClient, type RemoteDequeueOptions, type Task } from '../src/index.js';
import { text } from './helpers.js';

// PriorityQueue.fromClient over a client that waits "on the server" (QueueClient.queueDequeueWaiting):
// here the server is a LocalQueueClient on a real storage, as in sochdb-grpc-server, and each
// waiting call is recorded. Real time: bounds are generous, the machine may be loaded.

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

type WaitReply = Awaited<ReturnType<NonNullable<QueueClient['queueDequeueWaiting']>>>;

/** How the stand-in server treats `waitMs`: waits up to a cap, ignores it (an older server), or ends every wait at once (a server stopping). */
type ServerKind = { readonly capMs: number } | 'ignores-wait' | 'stopping';

class WaitingClient extends LocalQueueClient {
  /** The waitMs of each waiting call, in order. */
  readonly waits: number[] = [];
  constructor(
    storage: Storage,
    private readonly kind: ServerKind,
  ) {
    super(storage);
  }
  async queueDequeueWaiting(queue: string, options: RemoteDequeueOptions): Promise<WaitReply> {
    this.waits.push(options.waitMs ?? 0);
    const { workerId } = options;
    if (this.kind === 'ignores-wait') return { task: await this.queueDequeue(queue, { workerId }), waitedMs: undefined };
    if (this.kind === 'stopping') return { task: null, waitedMs: options.waitMs };
    const waitedMs = Math.min(options.waitMs ?? 0, this.kind.capMs);
    return { task: await this.queueDequeue(queue, { ...options, waitMs: waitedMs }), waitedMs };
  }
}

async function timed<T>(promise: Promise<T>, started = performance.now()): Promise<{ value: T; ms: number }> {
  const value = await promise;
  return { value, ms: performance.now() - started };
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

it('waits on the server in one call, woken by an enqueue', async () => {
  const client = new WaitingClient(storage, { capMs: 60_000 });
  const q = PriorityQueue.fromClient(client, 'jobs');
  const waiting = timed(q.dequeue({ workerId: 'w', waitMs: 5_000 }));
  await sleep(100);
  await new PriorityQueue(storage, 'jobs').enqueue({ priority: 0, payload: 'now' });
  const { value, ms } = await waiting;
  expect(text(value!.payload)).toBe('now');
  expect(ms).toBeLessThan(1_000);
  expect(client.waits).toHaveLength(1);
  expect(client.waits[0]).toBeGreaterThan(4_900);
});

it('a wait longer than the server cap is several calls, each asking for what is left', async () => {
  const client = new WaitingClient(storage, { capMs: 100 });
  const q = PriorityQueue.fromClient(client, 'jobs');
  const { value, ms } = await timed(q.dequeue({ workerId: 'w', waitMs: 350 }));
  expect(value).toBeNull();
  expect(ms).toBeGreaterThanOrEqual(340);
  expect(ms).toBeLessThan(2_000);
  // How many calls depends on how long each took on this machine (a loaded one takes fewer, longer
  // ones); what does not is that each asks for what is left: every call waited its full cap, so the
  // i-th asks for at most 350 - 100·i (a few ms of timer slack).
  expect(client.waits.length).toBeGreaterThanOrEqual(2);
  expect(client.waits[0]).toBe(350);
  client.waits.forEach((asked, i) => expect(asked).toBeLessThanOrEqual(350 - 95 * i));
  // A task enqueued during a later call is handed out by that call: enqueue once the third has begun.
  client.waits.length = 0;
  const waiting = q.dequeue({ workerId: 'w', waitMs: 10_000 });
  await expect.poll(() => client.waits.length, { timeout: 5_000, interval: 5 }).toBeGreaterThanOrEqual(3);
  await new PriorityQueue(storage, 'jobs').enqueue({ priority: 0, payload: 'third call' });
  expect(text((await waiting)!.payload)).toBe('third call');
});

it('a server that ignores waitMs: the rest of the wait is polled here, and still finds the task', async () => {
  const client = new WaitingClient(storage, 'ignores-wait');
  const polls: string[] = [];
  const dequeue = client.queueDequeue.bind(client);
  client.queueDequeue = (queue: string, options: RemoteDequeueOptions): Promise<Task | null> => {
    polls.push(queue);
    return dequeue(queue, options);
  };
  const q = PriorityQueue.fromClient(client, 'jobs');
  const waiting = timed(q.dequeue({ workerId: 'w', waitMs: 5_000 }));
  await sleep(300);
  await new PriorityQueue(storage, 'jobs').enqueue({ priority: 0, payload: 'polled' });
  const { value, ms } = await waiting;
  expect(text(value!.payload)).toBe('polled');
  expect(ms).toBeLessThan(2_000);
  expect(client.waits).toHaveLength(1);
  expect(polls.length).toBeGreaterThan(2); // the waiting call (answered at once), then polls
  const empty = await timed(q.dequeue({ workerId: 'w', waitMs: 300 }));
  expect(empty.value).toBeNull();
  expect(empty.ms).toBeGreaterThanOrEqual(290);
});

it('a wait the server ends early (it is stopping) resolves null at once, without another call', async () => {
  const client = new WaitingClient(storage, 'stopping');
  const q = PriorityQueue.fromClient(client, 'jobs');
  const { value, ms } = await timed(q.dequeue({ workerId: 'w', waitMs: 5_000 }));
  expect(value).toBeNull();
  expect(ms).toBeLessThan(1_000);
  expect(client.waits).toHaveLength(1);
});

it('the signal and close() end a server wait with null; an aborted signal makes no call', async () => {
  const client = new WaitingClient(storage, { capMs: 60_000 });
  const q = PriorityQueue.fromClient(client, 'jobs');
  const controller = new AbortController();
  const waiting = timed(q.dequeue({ workerId: 'w', waitMs: 5_000, signal: controller.signal }));
  await sleep(100);
  controller.abort();
  const aborted = await waiting;
  expect(aborted.value).toBeNull();
  expect(aborted.ms).toBeLessThan(1_000);
  expect(await q.dequeue({ workerId: 'w', waitMs: 5_000, signal: controller.signal })).toBeNull();
  expect(client.waits).toHaveLength(1);

  const closing = timed(q.dequeue({ workerId: 'w', waitMs: 5_000 }));
  await sleep(100);
  await q.close();
  const closed = await closing;
  expect(closed.value).toBeNull();
  expect(closed.ms).toBeLessThan(1_000);
});
