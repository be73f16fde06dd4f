import { ValidationError, encodeKey, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptTaskError, DuplicateTaskError, PriorityQueue } from '../src/index.js';
import { backends, text } from './helpers.js';

describe.each(backends)('ordering on %s storage', (_name, makeFactory) => {
  let factory: StorageFactory;
  let storage: Storage;
  beforeEach(async () => {
    factory = makeFactory();
    storage = await factory.open();
  });
  afterEach(async () => {
    await storage.close();
    await factory.cleanup();
  });

  it('dequeues lower priority numbers first — negative, zero and large integers — and FIFO within a priority', async () => {
    const q = new PriorityQueue(storage, 'tasks');
    const priorities = [5, -1, 0, Number.MAX_SAFE_INTEGER, -1, Number.MIN_SAFE_INTEGER, 5, 0, 1e15, -42];
    for (const [i, p] of priorities.entries()) await q.enqueue({ priority: p, payload: `${p}#${i}` });
    const expected = priorities
      .map((p, i) => ({ p, i }))
      .sort((a, b) => a.p - b.p || a.i - b.i)
      .map(({ p, i }) => `${p}#${i}`);
    expect((await q.topK(100)).map((t) => text(t.payload))).toEqual(expected);
    const got: string[] = [];
    for (let t = await q.dequeue({ workerId: 'w' }); t; t = await q.dequeue({ workerId: 'w' })) got.push(text(t.payload));
    expect(got).toEqual(expected);
  });

  it('enqueueBatch keeps the given order and returns the ids', async () => {
    const q = new PriorityQueue(storage, 'tasks');
    const ids = await q.enqueueBatch([
      { priority: 1, payload: 'a' },
      { priority: 1, payload: 'b', taskId: 'mine' },
      { priority: 0, payload: 'c' },
    ]);
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe('mine');
    expect((await q.topK(3)).map((t) => t.taskId)).toEqual([ids[2], ids[0], ids[1]]);
  });

  it('keeps payload bytes, metadata and ids intact; peek and getTask do not claim', async () => {
    const q = new PriorityQueue(storage, 'tasks');
    const payload = Uint8Array.from([0, 255, 0, 1, 0]);
    const id = await q.enqueue({ priority: 1, payload, metadata: { source: 'api', n: [1, null, { x: true }] } });
    const peeked = await q.peek();
    expect(peeked?.taskId).toBe(id);
    expect(Buffer.compare(peeked!.payload, Buffer.from(payload))).toBe(0);
    expect(peeked?.metadata).toEqual({ source: 'api', n: [1, null, { x: true }] });
    expect((await q.getTask(id))?.state).toBe('pending');
    const task = await q.dequeue({ workerId: 'w' });
    expect(task?.taskId).toBe(id);
    expect(Buffer.compare(task!.payload, Buffer.from(payload))).toBe(0);
    expect(await q.getTask('nope')).toBeNull();
  });

  it('two queue names on one storage do not see each other', async () => {
    const a = new PriorityQueue(storage, 'a');
    const b = new PriorityQueue(storage, 'a/b');
    await a.enqueue({ priority: 1, payload: 'in a' });
    expect(await b.dequeue({ workerId: 'w' })).toBeNull();
    expect((await a.stats()).pending).toBe(1);
    expect((await b.stats()).total).toBe(0);
  });

  it('refuses a taskId that names a live task, and accepts it again once that task is acked', async () => {
    const q = new PriorityQueue(storage, 'tasks');
    await q.enqueue({ priority: 1, payload: 'x', taskId: 'job-1' });
    const dup = q.enqueue({ priority: 1, payload: 'y', taskId: 'job-1' });
    await expect(dup).rejects.toBeInstanceOf(DuplicateTaskError);
    await expect(dup).rejects.toMatchObject({ code: 7002, field: 'taskId' });
    await expect(
      q.enqueueBatch([
        { priority: 1, payload: 'a', taskId: 'z' },
        { priority: 1, payload: 'b', taskId: 'z' },
      ]),
    ).rejects.toBeInstanceOf(DuplicateTaskError);
    expect((await q.stats()).total).toBe(1); // the failed batch wrote nothing
    const t = await q.dequeue({ workerId: 'w' });
    await q.ack(t!);
    await expect(q.enqueue({ priority: 1, payload: 'again', taskId: 'job-1' })).resolves.toBe('job-1');
  });
});

describe('bad input gets a ValidationError naming the field', () => {
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

  const cases: readonly [string, () => Promise<unknown>, string][] = [
    ['fractional priority', () => q().enqueue({ priority: 1.5, payload: 'x' }), 'task.priority'],
    ['unsafe priority', () => q().enqueue({ priority: 2 ** 60, payload: 'x' }), 'task.priority'],
    ['NaN priority', () => q().enqueue({ priority: Number.NaN, payload: 'x' }), 'task.priority'],
    ['string priority', () => q().enqueue({ priority: '1' as unknown as number, payload: 'x' }), 'task.priority'],
    ['object payload', () => q().enqueue({ priority: 1, payload: { a: 1 } as unknown as string }), 'task.payload'],
    ['number payload', () => q().enqueue({ priority: 1, payload: 7 as unknown as string }), 'task.payload'],
    ['negative delay', () => q().enqueue({ priority: 1, payload: 'x', delayMs: -1 }), 'task.delayMs'],
    ['non-JSON metadata', () => q().enqueue({ priority: 1, payload: 'x', metadata: { d: new Date() } as never }), 'task.metadata'],
    ['empty taskId', () => q().enqueue({ priority: 1, payload: 'x', taskId: '' }), 'task.taskId'],
    [
      'batch item',
      () =>
        q().enqueueBatch([
          { priority: 1, payload: 'x' },
          { priority: 0.5, payload: 'y' },
        ]),
      'tasks[1].priority',
    ],
    ['missing workerId', () => q().dequeue({} as never), 'workerId'],
    ['zero lease', () => q().dequeue({ workerId: 'w', visibilityTimeoutMs: 0 }), 'visibilityTimeoutMs'],
    ['nack priority', () => q().nack('id', { priority: 0.1 }), 'priority'],
    ['extend by -5', () => q().extendVisibility('id', -5), 'ms'],
    ['topK(-1)', () => q().topK(-1), 'k'],
    ['ack(42)', () => q().ack(42 as unknown as string), 'task'],
    ['txn that is not a transaction', () => q().enqueue({ priority: 1, payload: 'x' }, { txn: {} as never }), 'txn'],
  ];
  let queue: PriorityQueue;
  const q = (): PriorityQueue => (queue ??= new PriorityQueue(storage, 'tasks'));

  it.each(cases)('%s', async (_label, call, field) => {
    queue = new PriorityQueue(storage, 'tasks');
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 6000, field });
    expect((await queue.stats()).total).toBe(0);
  });

  it('config errors name the field, at construction', () => {
    expect(() => new PriorityQueue(storage, 'tasks', { maxAttempts: 0 })).toThrow(ValidationError);
    expect(() => new PriorityQueue(storage, 'tasks', { visibilityTimeoutMs: 1.5 })).toThrowError(/visibilityTimeoutMs/);
    expect(() => new PriorityQueue(storage, 'tasks', { deadLetterQueue: 'tasks' })).toThrowError(/own dead-letter queue/);
    expect(() => new PriorityQueue(storage, 'tasks', { bogus: 1 } as never)).toThrowError(/bogus/);
    expect(() => new PriorityQueue(storage, '')).toThrow(ValidationError);
    expect(() => new PriorityQueue({} as Storage, 'tasks')).toThrow(ValidationError);
    expect(() => PriorityQueue.fromDatabase({} as never, 'tasks')).toThrow(ValidationError);
    expect(() => PriorityQueue.inMemory('tasks', { maxAttempts: -1 })).toThrow(ValidationError);
  });
});

describe('across a restart', () => {
  it('keeps every task, its order (FIFO within a priority) and its counters', async () => {
    const factory = persistentFactory();
    try {
      let storage = await factory.open();
      let q = PriorityQueue.fromDatabase({ storage }, 'tasks');
      await q.enqueueBatch([1, 0, 1, 0].map((p, i) => ({ priority: p, payload: `before-${i}` })));
      const first = await q.dequeue({ workerId: 'w' });
      await q.ack(first!);
      await storage.close();

      storage = await factory.open();
      q = PriorityQueue.fromDatabase({ storage }, 'tasks');
      expect(await q.stats()).toEqual({ pending: 3, delayed: 0, claimed: 0, completed: 1, deadLettered: 0, total: 4 });
      await q.enqueueBatch([0, 1].map((p, i) => ({ priority: p, payload: `after-${i}` })));
      const order: string[] = [];
      for (let t = await q.dequeue({ workerId: 'w' }); t; t = await q.dequeue({ workerId: 'w' })) order.push(text(t.payload));
      expect(order).toEqual(['before-3', 'after-0', 'before-0', 'before-2', 'after-1']);
      await storage.close();
    } finally {
      await factory.cleanup();
    }
  });
});

describe('damaged data', () => {
  it.each(['exclusive', 'shared'] as const)('a task record that cannot be decoded gives CorruptTaskError (7003), not a crash (%s mode)', async (mode) => {
    const factory = persistentFactory();
    const storage = await factory.open();
    try {
      await storage.put(encodeKey(['q', 'tasks', 's', 'bad']), '{not json');
      const q = new PriorityQueue(storage, 'tasks', { mode });
      await expect(q.stats()).rejects.toBeInstanceOf(CorruptTaskError);
      await expect(q.dequeue({ workerId: 'w' })).rejects.toMatchObject({ code: 7003 });
      await storage.del(encodeKey(['q', 'tasks', 's', 'bad']));
      expect((await new PriorityQueue(storage, 'tasks', { mode }).stats()).total).toBe(0);
    } finally {
      await storage.close();
      await factory.cleanup();
    }
  });
});
