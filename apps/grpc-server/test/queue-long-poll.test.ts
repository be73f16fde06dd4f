// dequeue({ waitMs }) over gRPC waits on the server: one Dequeue call that the server answers as
// soon as a task is enqueued (its embedded queue wakes on the commit), not a client-side poll.
import { Server, ServerCredentials, status as Status } from '@grpc/grpc-js';
import { Database, grpcWire, loadProtos, SochDBClient } from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';
import { implement } from '../src/rpc.js';
import { queueService } from '../src/services/queue.js';
import { rawUnary, startTestServer, type TestServer } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The server's count of finished Dequeue calls, from its Prometheus metrics. */
async function dequeueCalls(t: TestServer): Promise<number> {
  const text = await (await fetch(t.server.metricsUrl!)).text();
  const line = text.split('\n').find((l) => l.startsWith('sochdb_requests_total{server="grpc",method="QueueService/Dequeue",outcome="ok"} '));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

let t: TestServer;
let other: SochDBClient;
beforeAll(async () => {
  t = await startTestServer({ metrics: { port: 0 } });
  other = new SochDBClient(t.server.address);
});
afterAll(async () => {
  other.close();
  await t.stop();
});

describe('dequeue({ waitMs }) over gRPC waits on the server', () => {
  it('answers as soon as another client enqueues, in one Dequeue call', async () => {
    const before = await dequeueCalls(t);
    const waiting = t.client.queue('wake').dequeue({ workerId: 'w', waitMs: 5_000 });
    await sleep(200);
    await other.queue('wake').enqueue({ priority: 0, payload: 'late' });
    const enqueued = performance.now();
    const task = await waiting;
    // Answered by the enqueue, not the 5 s wait's end (a loose bound: CI machines are busy). The
    // single Dequeue call below is what tells waiting on the server from polling it.
    expect(performance.now() - enqueued).toBeLessThan(1_000);
    expect(task?.payload.toString()).toBe('late');
    expect(await dequeueCalls(t)).toBe(before + 1);
  });

  it('resolves null after waitMs when nothing is enqueued, not before', async () => {
    const started = performance.now();
    expect(await t.client.queue('idle').dequeue({ workerId: 'w', waitMs: 400 })).toBeNull();
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(2_000);
  });

  it('an aborted signal cancels the call: null at once, and the server ends its wait', async () => {
    const before = await dequeueCalls(t);
    const controller = new AbortController();
    const waiting = t.client.queue('cancel').dequeue({ workerId: 'w', waitMs: 10_000, signal: controller.signal });
    await sleep(150);
    const aborted = performance.now();
    controller.abort();
    expect(await waiting).toBeNull();
    expect(performance.now() - aborted).toBeLessThan(500);
    // The server's handler finished (its wait was ended by the cancel), long before the 10 s.
    await expect.poll(() => dequeueCalls(t), { timeout: 2_000, interval: 25 }).toBe(before + 1);
    // And nothing was claimed by the cancelled call: a task enqueued now is there for the next dequeue.
    await other.queue('cancel').enqueue({ priority: 0, payload: 'after' });
    expect((await t.client.queue('cancel').dequeue({ workerId: 'w' }))?.payload.toString()).toBe('after');
  });

  it('caps the server-side wait and reports the wait it applied; refuses a negative wait', async () => {
    await other.queue('cap').enqueue({ priority: 0, payload: 'x' });
    const capped = await rawUnary(t.server, 'QueueService/Dequeue', { queue: 'cap', workerId: 'w', waitMs: 3_600_000 });
    expect(capped.response).toMatchObject({ found: true, waitMs: grpcWire.MAX_DEQUEUE_WAIT_MS });
    const none = await rawUnary(t.server, 'QueueService/Dequeue', { queue: 'cap', workerId: 'w' });
    expect(none.response).toMatchObject({ found: false, waitMs: 0 });
    expect((await rawUnary(t.server, 'QueueService/Dequeue', { queue: 'cap', workerId: 'w', waitMs: -1 })).code).toBe(Status.INVALID_ARGUMENT);
  });

  it('a worker over the wire stops at once although its dequeues wait on the server', async () => {
    const worker = t.client.queue('idle-worker').process(async () => 'done', { concurrency: 3 });
    await sleep(150);
    const closing = performance.now();
    await worker.close();
    expect(performance.now() - closing).toBeLessThan(1_000);
  });
});

it('a server that stops while a client waits answers null, and stops at once', async () => {
  const s = await startTestServer();
  try {
    const waiting = s.client.queue('stop').dequeue({ workerId: 'w', waitMs: 10_000 });
    await sleep(200);
    const closing = performance.now();
    await s.server.close();
    expect(performance.now() - closing).toBeLessThan(2_000); // the shutdown timeout is 10 s
    expect(await waiting).toBeNull();
  } finally {
    await s.stop();
  }
});

it('an older server that ignores wait_ms: the client polls for the rest of the wait', async () => {
  // QueueService as before wait_ms: the field is dropped on the way in and absent from the reply.
  const db = await Database.open(':memory:');
  const current = queueService(db, () => undefined);
  let calls = 0;
  const old: typeof current = {
    ...current,
    async Dequeue(request, call) {
      calls++;
      const reply = (await current.Dequeue({ ...request, waitMs: undefined }, call)) as {
        found?: boolean;
        task?: ReturnType<typeof grpcWire.taskToWire> | null;
      };
      return { found: reply.found, task: reply.task };
    },
  };
  const { sochdb } = loadProtos();
  const server = new Server();
  server.addService(sochdb.QueueService.service, implement(sochdb.QueueService.service, old, { authorize: () => undefined, log: createLogger('silent') }));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const client = new SochDBClient(`127.0.0.1:${port}`);
  try {
    const queue = client.queue('old');
    const started = performance.now();
    const waiting = queue.dequeue({ workerId: 'w', waitMs: 5_000 });
    await sleep(300);
    await queue.enqueue({ priority: 0, payload: 'polled' });
    expect((await waiting)?.payload.toString()).toBe('polled');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(calls).toBeGreaterThan(1); // answered at once, then polled
    calls = 0;
    const empty = performance.now();
    expect(await queue.dequeue({ workerId: 'w', waitMs: 300 })).toBeNull();
    expect(performance.now() - empty).toBeGreaterThanOrEqual(290);
  } finally {
    client.close();
    server.forceShutdown();
    await db.close();
  }
});
