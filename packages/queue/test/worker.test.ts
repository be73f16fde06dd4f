import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Storage } from '@sochdb/core';
import { persistentFactory, spawnTs, waitForExit, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClaimLostError, PriorityQueue, Worker, type QueueConfigInput, type Task, type WorkerOptions } from '../src/index.js';
import { backoffDelay } from '../src/worker.js';
import { ManualClock, text } from './helpers.js';

let factory: StorageFactory;
let storage: Storage;
let clock: ManualClock;
const workers: Worker[] = [];
/** Every `error` event of the tracked workers; none is expected. */
const errors: unknown[] = [];
beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
  clock = new ManualClock();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close({ force: true })));
  expect(errors.splice(0)).toEqual([]);
  await storage.close();
  await factory.cleanup();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const open = (config: QueueConfigInput = {}): PriorityQueue => new PriorityQueue(storage, 'tasks', config);
function track<W extends Worker>(worker: W): W {
  workers.push(worker);
  worker.on('error', (error) => errors.push(error));
  return worker;
}
/** Resolves once `worker` emitted `event` `count` times, with every call's arguments. */
function collect(worker: Worker, event: 'completed' | 'failed' | 'dead-lettered' | 'stalled', count: number): Promise<unknown[][]> {
  const seen: unknown[][] = [];
  return new Promise((resolve) => {
    worker.on(event, (...args: unknown[]) => {
      seen.push(args);
      if (seen.length === count) resolve(seen);
    });
  });
}
/** Counts the times `worker` emits each of `events` (a listener that throws would only become an `error` event). */
function count(worker: Worker, ...events: ('completed' | 'failed' | 'dead-lettered' | 'stalled')[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) {
    counts[event] = 0;
    worker.on(event, () => counts[event]!++);
  }
  return counts;
}
/** A promise with its resolve function, to hold a handler until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('Worker', () => {
  it('processes every task once with concurrency 4, never running more than 4 at once', async () => {
    const q = open();
    const n = 24;
    await q.enqueueBatch(Array.from({ length: n }, (_, i) => ({ priority: i % 3, payload: `job ${i}` })));
    let running = 0;
    let most = 0;
    const seen: string[] = [];
    const worker = track(
      q.process(
        async (task) => {
          running++;
          most = Math.max(most, running);
          seen.push(task.taskId);
          await sleep(15);
          running--;
          return text(task.payload).toUpperCase();
        },
        { concurrency: 4 },
      ),
    );
    const completed = await collect(worker, 'completed', n);
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(n);
    expect(seen).toHaveLength(n);
    expect(completed.map(([, result]) => result)).toContain('JOB 0');
    await worker.close();
    expect(await q.stats()).toMatchObject({ pending: 0, claimed: 0, completed: n });
  });

  it('runs 32 claim loops and 32 idle waiting dequeues without a listener-leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const q = open();
      await q.enqueueBatch(Array.from({ length: 40 }, (_, i) => ({ priority: 0, payload: `job ${i}` })));
      const worker = track(q.process(async () => sleep(5), { concurrency: 32 }));
      await collect(worker, 'completed', 40);
      const waiting = Array.from({ length: 32 }, (_, i) => q.dequeue({ workerId: `idle${i}`, waitMs: 60_000 }));
      await worker.close();
      await q.close(); // ends the waiting dequeues
      expect(await Promise.all(waiting)).toEqual(Array(32).fill(null));
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('retries a failing handler with exponential backoff, then dead-letters it with the event', async () => {
    const q = open({ clock: clock.read, maxAttempts: 3, deadLetterQueue: 'dead' });
    const id = await q.enqueue({ priority: 1, payload: 'doomed' });
    const worker = track(q.process(() => Promise.reject(new Error('boom')), { backoff: { type: 'exponential', delayMs: 100, maxDelayMs: 150 } }));
    const failures: unknown[][] = [];
    worker.on('failed', (...args) => failures.push(args));
    const deadLettered = once(worker, 'dead-lettered');
    // Attempt 1 fails: retried 100 ms later (queue clock); attempt 2: 200 ms, capped at 150.
    for (const [attempt, delay] of [
      [1, 100],
      [2, 150],
    ] as const) {
      await once(worker, 'failed');
      expect(failures).toHaveLength(attempt);
      expect(await q.getTask(id)).toMatchObject({ state: 'delayed', attempts: attempt, visibleAt: clock.now + delay });
      clock.advance(delay - 1);
      await sleep(50);
      expect((await q.getTask(id))!.attempts).toBe(attempt); // not yet due
      clock.advance(1);
    }
    const [task, error] = (await deadLettered) as [Task, Error];
    expect(task).toMatchObject({ taskId: id, attempts: 3 });
    expect(error.message).toBe('boom');
    expect(failures).toHaveLength(3); // every failure is `failed`; the last one is also `dead-lettered`
    expect(await q.getTask(id)).toBeNull();
    expect(await new PriorityQueue(storage, 'dead').stats()).toMatchObject({ pending: 1 });
    expect(await q.stats()).toMatchObject({ deadLettered: 1, total: 1 });
  });

  it('works in shared mode too (claims through storage transactions, waits by polling)', async () => {
    const q = open({ mode: 'shared' });
    const worker = track(q.process((task) => text(task.payload), { concurrency: 2 }));
    const completed = collect(worker, 'completed', 6);
    await q.enqueueBatch(Array.from({ length: 6 }, (_, i) => ({ priority: 1, payload: `job ${i}` })));
    expect((await completed).map(([, result]) => result as string).sort()).toEqual(['job 0', 'job 1', 'job 2', 'job 3', 'job 4', 'job 5']);
    await worker.close();
    expect(await q.stats()).toMatchObject({ pending: 0, claimed: 0, completed: 6 });
  });

  it('a long handler keeps its lease past visibilityTimeoutMs: nobody else gets the task', async () => {
    const q = open({ visibilityTimeoutMs: 150 });
    const id = await q.enqueue({ priority: 1, payload: 'long' });
    const started = gate();
    const worker = track(
      q.process(() => {
        started.open();
        return sleep(600).then(() => 'done');
      }),
    );
    const completed = once(worker, 'completed');
    await started.promise; // the worker holds the claim
    // Another worker waits for the task for longer than two leases: the renewals keep it away.
    expect(await q.dequeue({ workerId: 'thief', waitMs: 450 })).toBeNull();
    const [task, result] = (await completed) as [Task, string];
    expect(task).toMatchObject({ taskId: id, attempts: 1 });
    expect(result).toBe('done');
    expect(await q.stats()).toMatchObject({ completed: 1, total: 1 });
  });

  it('close() waits for running handlers, claims nothing more, and nothing is processed twice', async () => {
    const q = open();
    await q.enqueueBatch(Array.from({ length: 10 }, (_, i) => ({ priority: 1, payload: `job ${i}` })));
    const processed: string[] = [];
    let running = 0;
    const started = gate();
    const handler = async (task: Task): Promise<void> => {
      running++;
      started.open();
      await sleep(80);
      processed.push(task.taskId);
      running--;
    };
    const first = track(q.process(handler, { concurrency: 3, workerId: 'first' }));
    const closedEvent = once(first, 'closed');
    await started.promise; // a handler runs (claims take longer on some storages than others)
    expect(running).toBeGreaterThan(0);
    await first.close();
    expect(running).toBe(0); // close resolved after the handlers that were running
    await closedEvent;
    const done = processed.length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(10);
    expect(await q.stats()).toMatchObject({ pending: 10 - done, claimed: 0, completed: done });
    // A second worker takes the rest; an aborted options signal closes it like close().
    const controller = new AbortController();
    const second = track(q.process(handler, { concurrency: 2, signal: controller.signal }));
    await collect(second, 'completed', 10 - done);
    controller.abort();
    await once(second, 'closed');
    expect(new Set(processed).size).toBe(10);
    expect(processed).toHaveLength(10);
    expect(await q.stats()).toMatchObject({ pending: 0, completed: 10 });
  });

  it('a lease lost during the handler aborts its signal and emits stalled; the worker neither acks nor nacks', async () => {
    const q = open({ clock: clock.read, maxAttempts: 5 });
    const id = await q.enqueue({ priority: 1, payload: 'job' });
    const started = gate();
    const finished = gate();
    let reason: unknown;
    let extendError: unknown;
    const worker = track(
      q.process(
        async (_task, { signal, extendLease }) => {
          started.open();
          await once(signal, 'abort');
          reason = signal.reason;
          extendError = await extendLease().catch((error: unknown) => error);
          finished.open();
        },
        { leaseMs: 400 }, // renewed every 200 ms of real time
      ),
    );
    const stalled = once(worker, 'stalled');
    const counts = count(worker, 'completed', 'failed', 'stalled');
    await started.promise;
    clock.advance(401); // the lease runs out (queue clock) …
    const thief = await q.dequeue({ workerId: 'thief' }); // … and another worker claims the task
    expect(thief).toMatchObject({ taskId: id, attempts: 2 });
    const [task] = (await stalled) as [Task];
    expect(task.taskId).toBe(id);
    await finished.promise;
    expect(reason).toBeInstanceOf(ClaimLostError);
    expect(extendError).toBeInstanceOf(ClaimLostError);
    expect(counts).toEqual({ completed: 0, failed: 0, stalled: 1 }); // neither acked nor nacked
    expect(await q.ack(thief!)).toBe(true); // the thief's claim was never disturbed
  });

  it('an ack that finds the claim taken emits stalled instead of completed', async () => {
    const q = open({ clock: clock.read, maxAttempts: 5 });
    await q.enqueue({ priority: 1, payload: 'job' });
    const started = gate();
    const release = gate();
    const worker = track(
      q.process(
        async () => {
          started.open();
          await release.promise;
        },
        { leaseMs: 60_000 }, // no renewal during the test
      ),
    );
    const counts = count(worker, 'completed', 'stalled');
    const stalled = once(worker, 'stalled');
    await started.promise;
    clock.advance(60_001);
    const thief = await q.dequeue({ workerId: 'thief' });
    release.open();
    await stalled;
    expect(counts).toEqual({ completed: 0, stalled: 1 });
    expect((await q.getTask(thief!.taskId))?.state).toBe('claimed');
  });

  it('close({ force: true }) aborts running handlers and leaves their tasks to lease expiry', async () => {
    const q = open();
    await q.enqueue({ priority: 1, payload: 'job' });
    const started = gate();
    const ended = gate();
    let aborted = false;
    const worker = track(
      q.process(async (_task, { signal }) => {
        started.open();
        await once(signal, 'abort');
        aborted = true;
        ended.open();
        throw new Error('aborted');
      }),
    );
    const counts = count(worker, 'completed', 'failed');
    await started.promise;
    await worker.close({ force: true });
    await ended.promise;
    await sleep(20); // room for a wrong ack or nack to show up in the counts
    expect(aborted).toBe(true);
    expect(counts).toEqual({ completed: 0, failed: 0 });
    expect(await q.stats()).toMatchObject({ claimed: 1, pending: 0, completed: 0 });
  });

  it('stops when its queue closes', async () => {
    const q = PriorityQueue.inMemory('jobs');
    const worker = q.process(() => undefined);
    const closed = once(worker, 'closed');
    await q.close();
    await closed;
    expect(worker.closing).toBe(true);
    expect(() => q.process(() => undefined)).toThrow(/closed/);
  });

  it('rejects bad options and a handler that is not a function with ValidationError', () => {
    const q = open();
    expect(() => q.process('nope' as never)).toThrow(expect.objectContaining({ code: 6000, field: 'handler' }));
    const bad: [unknown, string][] = [
      ['fast', 'options'],
      [{ concurrency: 0 }, 'concurrency'],
      [{ concurrency: 1.5 }, 'concurrency'],
      [{ concurrency: '4' }, 'concurrency'],
      [{ leaseMs: -1 }, 'leaseMs'],
      [{ leaseMs: Number.NaN }, 'leaseMs'],
      [{ backoff: 'fixed' }, 'backoff'],
      [{ backoff: { type: 'linear', delayMs: 10 } }, 'backoff.type'],
      [{ backoff: { type: 'fixed', delayMs: -5 } }, 'backoff.delayMs'],
      [{ backoff: { type: 'fixed', delayMs: 5, maxDelayMs: 'x' } }, 'backoff.maxDelayMs'],
      [{ backoff: { type: 'exponential', delayMs: 5, jitter: 1.5 } }, 'backoff.jitter'],
      [{ workerId: '' }, 'workerId'],
      [{ signal: { aborted: 'no' } }, 'signal'],
      [{ concurency: 2 }, 'concurency'],
    ];
    for (const [options, field] of bad) {
      expect(() => q.process(() => undefined, options as WorkerOptions), field).toThrow(expect.objectContaining({ code: 6000, field }));
    }
  });
});

describe('backoffDelay', () => {
  it('is fixed or doubles per attempt, capped, and jitter shortens it by up to its fraction', () => {
    expect([1, 2, 3].map((a) => backoffDelay({ type: 'fixed', delayMs: 50 }, a))).toEqual([50, 50, 50]);
    expect([1, 2, 3, 4].map((a) => backoffDelay({ type: 'exponential', delayMs: 100 }, a))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay({ type: 'exponential', delayMs: 100, maxDelayMs: 300 }, 4)).toBe(300);
    expect(backoffDelay({ type: 'fixed', delayMs: 100, jitter: 0.5 }, 1, () => 1)).toBe(50);
    expect(backoffDelay({ type: 'fixed', delayMs: 100, jitter: 0.5 }, 1, () => 0)).toBe(100);
  });
});

describe('README worker example', () => {
  const example = fileURLToPath(new URL('../examples/workers.ts', import.meta.url));
  it('runs, prints what the README says, and is pasted verbatim into it', async () => {
    const result = await waitForExit(spawnTs(example));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const line of [
      'sent email 1',
      'sent email 3',
      'attempt 3 of email 2 failed: Error: SMTP down',
      'email 2 dead-lettered',
      'stats: {"pending":0,"delayed":0,"claimed":0,"completed":2,"deadLettered":1,"total":3}',
    ]) {
      expect(result.stdout).toContain(line);
    }
    expect(readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')).toContain(readFileSync(example, 'utf8').trim());
  });
});
