import { encodeKey, keyRange, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ClaimLostError, CorruptTaskError, PriorityQueue, type Task, type TaskView } from '../src/index.js';
import { encodeBody, encodeState, queueKeys, type TaskRecord } from '../src/records.js';
import { ManualClock, asAnotherProcess, orderIndexMismatches, text } from './helpers.js';

const LEASE = 100;
type Mode = 'exclusive' | 'shared';

/** One LevelDB folder with a queue (and its dead-letter queue) on it, reopened on demand. */
class Folder {
  storage!: Storage;
  queue!: PriorityQueue;
  dlq!: PriorityQueue;
  readonly factory: StorageFactory = persistentFactory();
  constructor(
    public mode: Mode,
    private readonly clock: ManualClock,
    private readonly deadLetterQueue: string | undefined,
    /** Switch modes at every reopen: the same data opened either way. */
    private readonly alternate = false,
  ) {}
  async open(): Promise<this> {
    this.storage = await this.factory.open();
    const config = { visibilityTimeoutMs: LEASE, maxAttempts: 2, clock: this.clock.read, mode: this.mode };
    this.queue = new PriorityQueue(this.storage, 'jobs', this.deadLetterQueue === undefined ? config : { ...config, deadLetterQueue: this.deadLetterQueue });
    this.dlq = new PriorityQueue(this.storage, 'dlq', { clock: this.clock.read, mode: this.mode });
    return this;
  }
  async reopen(): Promise<void> {
    await this.storage.close();
    if (this.alternate) this.mode = this.mode === 'shared' ? 'exclusive' : 'shared';
    await this.open();
  }
  async dispose(): Promise<void> {
    if ((this.storage as Storage | undefined)?.status === 'open') await this.storage.close();
    await this.factory.cleanup();
  }
}

/** A task as both engines must show it; the claim token is random, so it is left out. */
function view(task: TaskView | Task | null): unknown {
  if (task === null) return null;
  const { claimToken: _token, payload, ...rest } = task as Task;
  return { ...rest, payload: text(payload) };
}

/** A dead-letter copy without the times of its move. */
function timeless(task: TaskView): unknown {
  const { enqueuedAt: _enqueued, visibleAt: _visible, deadLetter, payload, ...rest } = task;
  const { deadLetteredAt: _moved, ...origin } = deadLetter!;
  return { ...rest, payload: text(payload), origin };
}
const byId = (a: TaskView, b: TaskView): number => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0);

async function outcome<T>(run: () => Promise<T>): Promise<T | string> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ClaimLostError) return 'ClaimLostError';
    throw error;
  }
}

type Op =
  | { kind: 'enqueue'; priority: number; delay: number }
  | { kind: 'dequeue'; lease: number | undefined }
  | { kind: 'ack' | 'nack'; claim: number; byIdOnly: boolean; delay: number; priority: number | undefined }
  | { kind: 'extend'; claim: number; ms: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'reopen' }
  | { kind: 'purge'; includeClaimed: boolean };

/** Times in steps of 10 ms, so that due times often fall exactly on the clock. */
const ms = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max }).map((n) => n * 10);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('enqueue' as const), priority: fc.integer({ min: -3, max: 3 }), delay: fc.oneof(fc.constant(0), ms(1, 15)) }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('dequeue' as const), lease: fc.option(ms(1, 20), { nil: undefined }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom('ack' as const, 'nack' as const),
      claim: fc.nat(),
      byIdOnly: fc.boolean(),
      delay: fc.oneof(fc.constant(0), ms(1, 15)),
      priority: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('extend' as const), claim: fc.nat(), ms: ms(1, 20) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: ms(1, 12) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('purge' as const), includeClaimed: fc.boolean() }) },
);

describe('shared mode over the order index answers exactly as exclusive mode (LevelDB folders, step by step)', () => {
  it('random mixes of priorities, delays, nacks with delay, expired leases, dead letters, purges and reopens', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 50, size: 'max' }), fc.boolean(), async (ops, withDlq) => {
        const clock = new ManualClock();
        const dlqName = withDlq ? 'dlq' : undefined;
        // The reference, shared mode throughout, and one folder opened the other way at each reopen.
        const folders = [new Folder('exclusive', clock, dlqName), new Folder('shared', clock, dlqName), new Folder('shared', clock, dlqName, true)];
        const claims: { id: string; tokens: string[] }[] = [];
        let n = 0;
        try {
          for (const f of folders) await f.open();
          const each = async <T>(run: (f: Folder, i: number) => Promise<T>): Promise<T[]> => {
            const out: T[] = [];
            for (const [i, f] of folders.entries()) out.push(await run(f, i));
            return out;
          };
          const agree = (label: string, values: readonly unknown[]): void => {
            for (let i = 1; i < values.length; i++) expect(values[i], `${label}: ${folders[i]!.mode} folder ${i} vs exclusive`).toEqual(values[0]);
          };
          for (const op of ops) {
            if (op.kind === 'enqueue') {
              const id = `t${n++}`;
              agree('enqueue', await each((f) => f.queue.enqueue({ priority: op.priority, payload: id, delayMs: op.delay, taskId: id })));
            } else if (op.kind === 'dequeue') {
              const got = await each((f) => f.queue.dequeue(op.lease === undefined ? { workerId: 'w' } : { workerId: 'w', visibilityTimeoutMs: op.lease }));
              agree('dequeue', got.map(view));
              if (got[0] !== null) claims.push({ id: got[0]!.taskId, tokens: got.map((t) => t!.claimToken) });
            } else if (op.kind === 'advance') {
              clock.advance(op.ms);
            } else if (op.kind === 'reopen') {
              await each((f) => f.reopen());
            } else if (op.kind === 'purge') {
              // A task whose last lease ran out is dead-lettered (and counted) by exclusive mode at
              // its next call but by shared mode only at its next dequeue, so a purge in between
              // removes it uncounted in shared mode, as before the order index: dequeue first.
              agree('dequeue before purge', (await each((f) => f.queue.dequeue({ workerId: 'w' }))).map(view));
              agree('stats before purge', await each((f) => f.queue.stats()));
              agree('purge', await each((f) => f.queue.purge({ includeClaimed: op.includeClaimed })));
            } else if (claims.length > 0) {
              const c = claims[op.claim % claims.length]!;
              const claim = (i: number) => ({ taskId: c.id, claimToken: c.tokens[i]! });
              if (op.kind === 'extend') {
                agree('extendVisibility', await each((f, i) => outcome(() => f.queue.extendVisibility(claim(i), op.ms))));
              } else {
                const ref = (i: number) => (op.byIdOnly ? c.id : claim(i));
                if (op.kind === 'ack') agree('ack', await each((f, i) => f.queue.ack(ref(i))));
                else
                  agree(
                    'nack',
                    await each((f, i) => f.queue.nack(ref(i), { delayMs: op.delay, ...(op.priority === undefined ? {} : { priority: op.priority }) })),
                  );
              }
            }
            agree('stats', await each((f) => f.queue.stats()));
            agree(
              'topK',
              (await each((f) => f.queue.topK(3))).map((list) => list.map(view)),
            );
          }
          // A lease that ran out on the last attempt moves to the dead-letter queue at the next call
          // in exclusive mode, at the next dequeue in shared mode (both count it as dead-lettered at
          // once): a last dequeue settles both. The move times (and so the order of moves made at
          // different times) may differ, so the dead-letter queues are compared by id, without them.
          agree('last dequeue', (await each((f) => f.queue.dequeue({ workerId: 'w' }))).map(view));
          agree('every task', await each(async (f) => Promise.all(Array.from({ length: n }, async (_, i) => view(await f.queue.getTask(`t${i}`))))));
          agree('dead-letter queue', await each(async (f) => [(await f.dlq.stats()).total, (await f.dlq.topK(1000)).sort(byId).map(timeless)]));
          // Both engines kept the index equal to the stored states, in both queues.
          for (const f of folders) expect([...(await orderIndexMismatches(f.storage, 'jobs')), ...(await orderIndexMismatches(f.storage, 'dlq'))]).toEqual([]);
        } finally {
          for (const f of folders) await f.dispose();
        }
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});

/** Writes tasks as the queue did before the order index existed: state and body keys only. */
async function writeLegacy(storage: Storage, queue: string, records: readonly TaskRecord[]): Promise<void> {
  await storage.batch(
    records.flatMap((r) => [
      { type: 'put' as const, key: queueKeys.body(queue, r.id), value: encodeBody({ payload: Buffer.from(r.id), metadata: { legacy: true } }) },
      { type: 'put' as const, key: queueKeys.state(queue, r.id), value: encodeState(r) },
    ]),
  );
}

async function countKeys(storage: Storage, prefix: readonly string[]): Promise<number> {
  let count = 0;
  for await (const _ of storage.iterator(keyRange(prefix))) count++;
  return count;
}

const T0 = 1_000_000;
const base = { token: undefined, workerId: undefined, history: [], enqueuedAt: T0 - 10_000 } as const;
/** A legacy queue with every kind of task: pending, delayed, leased (live, expired, expired on its last attempt) and dead. */
const legacyRecords = (count: number): TaskRecord[] => [
  ...Array.from({ length: count }, (_, i): TaskRecord => ({
    ...base,
    id: `p${i}`,
    priority: i % 5,
    seq: 1000 + i,
    attempts: 0,
    state: 'pending',
    visibleAt: T0 - 10_000,
  })),
  { ...base, id: 'delayed-due', priority: -1, seq: 10, attempts: 0, state: 'delayed', visibleAt: T0 - 1 },
  { ...base, id: 'delayed-later', priority: -2, seq: 11, attempts: 0, state: 'delayed', visibleAt: T0 + 5_000 },
  {
    ...base,
    id: 'leased-live',
    priority: -3,
    seq: 12,
    attempts: 1,
    state: 'claimed',
    visibleAt: T0 + 5_000,
    token: 'tok-live',
    workerId: 'old',
    history: [{ workerId: 'old', claimedAt: T0 - 100, outcome: 'claimed' }],
  },
  {
    ...base,
    id: 'leased-expired',
    priority: 2,
    seq: 13,
    attempts: 1,
    state: 'claimed',
    visibleAt: T0 - 5,
    token: 'tok-exp',
    workerId: 'old',
    history: [{ workerId: 'old', claimedAt: T0 - 100, outcome: 'claimed' }],
  },
  {
    ...base,
    id: 'leased-last',
    priority: 0,
    seq: 14,
    attempts: 3,
    state: 'claimed',
    visibleAt: T0 - 5,
    token: 'tok-last',
    workerId: 'old',
    history: [{ workerId: 'old', claimedAt: T0 - 100, outcome: 'claimed' }],
  },
  { ...base, id: 'dead', priority: 0, seq: 15, attempts: 3, state: 'dead', visibleAt: T0 - 5 },
];

describe('a queue written before the order index existed', () => {
  const factories: StorageFactory[] = [];
  afterEach(async () => {
    for (const f of factories.splice(0)) await f.cleanup();
  });

  it.each(['shared', 'exclusive'] as const)("is indexed on first use (%s mode), then drained by shared mode in exclusive mode's order", async (firstMode) => {
    const clock = new ManualClock(T0);
    const [legacy, reference] = [persistentFactory(), persistentFactory()];
    factories.push(legacy, reference);
    const records = legacyRecords(300);
    const config = { clock: clock.read, maxAttempts: 3, deadLetterQueue: 'dlq', visibilityTimeoutMs: LEASE } as const;
    let storage = await legacy.open();
    await writeLegacy(storage, 'jobs', records);
    // A key no task accounts for, as a dead-letter move into a not-yet-indexed queue could leave.
    await storage.put(queueKeys.ready('jobs', 0, 1, 'gone'), '');
    expect(await storage.get(queueKeys.orderIndexMark('jobs'))).toBeUndefined();
    const refStorage = await reference.open();
    await writeLegacy(refStorage, 'jobs', records);

    const first = new PriorityQueue(storage, 'jobs', { ...config, mode: firstMode });
    // The dead task is in no bucket (legacy data has no counters); the last-attempt lease counts as dead-lettered.
    expect(await first.stats()).toEqual({ pending: 302, delayed: 1, claimed: 1, completed: 0, deadLettered: 1, total: 305 });
    const expectedTop = (await new PriorityQueue(refStorage, 'jobs', { ...config, mode: 'exclusive' }).topK(5)).map(view);
    expect((await first.topK(5)).map(view)).toEqual(expectedTop);
    expect(await storage.get(queueKeys.orderIndexMark('jobs'))).toBeDefined();
    // Exactly one key per pending/delayed/claimed task; the stray key is gone.
    expect(await orderIndexMismatches(storage, 'jobs')).toEqual([]);
    expect(await countKeys(storage, ['q', 'jobs', 'r'])).toBe(300);
    await storage.close();

    storage = await legacy.open();
    const shared = new PriorityQueue(storage, 'jobs', { ...config, mode: 'shared' });
    const exclusive = new PriorityQueue(refStorage, 'jobs', { ...config, mode: 'exclusive' });
    // The old worker whose lease ran out may still ack while nobody has claimed the task again.
    expect(await shared.ack({ taskId: 'leased-expired', claimToken: 'tok-exp' })).toBe(true);
    expect(await exclusive.ack({ taskId: 'leased-expired', claimToken: 'tok-exp' })).toBe(true);
    const drained: string[] = [];
    for (let advanced = false; ;) {
      const [a, b] = [await exclusive.dequeue({ workerId: 'w' }), await shared.dequeue({ workerId: 'w' })];
      expect(view(b)).toEqual(view(a));
      if (b === null) {
        if (advanced) break;
        clock.advance(5_000); // the live lease and the later delay run out
        advanced = true;
        continue;
      }
      drained.push(b.taskId);
      expect(await shared.ack(b)).toBe(true);
      expect(await exclusive.ack(a!)).toBe(true);
    }
    expect(drained).toHaveLength(303);
    expect(drained.slice(0, 4)).toEqual(['delayed-due', 'p0', 'p5', 'p10']);
    expect(drained.slice(-2)).toEqual(['leased-live', 'delayed-later']);
    expect(await shared.stats()).toEqual({ pending: 0, delayed: 0, claimed: 0, completed: 304, deadLettered: 1, total: 305 });
    expect(await shared.stats()).toEqual(await exclusive.stats());
    expect((await shared.getTask('dead'))?.state).toBe('dead');
    expect((await new PriorityQueue(storage, 'dlq', { mode: 'shared' }).topK(10)).map((t) => t.taskId)).toEqual(['leased-last']);
    expect(await countKeys(storage, ['q', 'jobs', 'r'])).toBe(0);
    expect(await countKeys(storage, ['q', 'jobs', 't'])).toBe(0);
    await storage.close();
    await refStorage.close();
  });

  it('two shared engines that find it unindexed at once build the index once (one conflicts on the mark and retries)', async () => {
    const f = persistentFactory();
    factories.push(f);
    const storage = await f.open();
    await writeLegacy(
      storage,
      'jobs',
      legacyRecords(50).filter((r) => r.state === 'pending'),
    );
    // Separate Storage objects, as two processes would have: nothing cached in common.
    const [a, b] = [asAnotherProcess(storage), asAnotherProcess(storage)].map((s) => new PriorityQueue(s, 'jobs', { mode: 'shared' }));
    const [x, y] = await Promise.all([a!.dequeue({ workerId: 'a' }), b!.dequeue({ workerId: 'b' })]);
    expect(new Set([x?.taskId, y?.taskId])).toEqual(new Set(['p0', 'p5']));
    expect(await countKeys(storage, ['q', 'jobs', 'r'])).toBe(48);
    expect(await countKeys(storage, ['q', 'jobs', 't'])).toBe(2);
    await storage.close();
  });
});

describe('errors stay typed', () => {
  it('an index key whose task state is damaged gives CorruptTaskError from a shared dequeue', async () => {
    const f = persistentFactory();
    const storage = await f.open();
    try {
      const q = new PriorityQueue(storage, 'jobs', { mode: 'shared' });
      const id = await q.enqueue({ priority: 1, payload: 'x' });
      await storage.put(encodeKey(['q', 'jobs', 's', id]), '{not json');
      await expect(q.dequeue({ workerId: 'w' })).rejects.toBeInstanceOf(CorruptTaskError);
      await expect(q.topK(1)).rejects.toMatchObject({ code: 7003 });
    } finally {
      await storage.close();
      await f.cleanup();
    }
  });
});
