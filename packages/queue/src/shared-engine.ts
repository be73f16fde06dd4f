import { randomUUID } from 'node:crypto';
import { DatabaseError, keyRange, type KeyValueStore, type Storage, type Transaction, type WriteOp } from '@sochdb/core';
import type { CounterName } from './counters.js';
import { ClaimLostError, DuplicateTaskError } from './errors.js';
import { decodeBody, decodeKeyTail, decodeState, encodeBody, encodeState, queueKeys, type TaskBody, type TaskRecord } from './records.js';
import { dueRange, ensureOrderIndex, orderKey, orderOps, readKeys, readyKey, readyRange } from './order-index.js';
import type { EngineSettings } from './storage-engine.js';
import { StreamingTopK } from './streaming-top-k.js';
import { asOf, claimed, endLastAttempt, holdsClaim, reopenLastAttempt, retried, toView } from './transitions.js';
import type { ClaimRef, DequeueOptions, NackOptions, PurgeOptions, QueueEngine, QueueStats, Task, TaskView, WriteOptions } from './types.js';
import type { CheckedEnqueue } from './validate.js';

const RETRIES = 1_000;
const FOLD_AT = 1024;
let lastSeq = 0;

/**
 * Dequeues of one process for one queue run one at a time: concurrent ones would all pick the
 * same head task and all but one would conflict and retry. Other processes still race, safely.
 */
const dequeueTurns = new WeakMap<Storage, Map<string, Promise<unknown>>>();
function inTurn<T>(storage: Storage, queue: string, fn: () => Promise<T>): Promise<T> {
  let byQueue = dequeueTurns.get(storage);
  if (byQueue === undefined) dequeueTurns.set(storage, (byQueue = new Map()));
  const previous = byQueue.get(queue) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.catch(() => undefined);
  byQueue.set(queue, settled);
  void settled.then(() => {
    if (byQueue.get(queue) === settled) byQueue.delete(queue);
  });
  return run;
}

/** Due index entries one dequeue promotes itself; a larger backlog is promoted in batches first. */
const PROMOTE_BATCH = 128;
/** Answer of a dequeue transaction that only promoted a batch of due tasks: run another. */
const PROMOTED = Symbol('promoted a batch');

/** A task as one transaction reads it: the stored record, and what it is at `now` (see `asOf`). */
interface Current {
  readonly stored: TaskRecord;
  readonly record: TaskRecord;
  readonly exhausted: boolean;
}

/**
 * The queue for a Storage that several processes use at once (SochDB's concurrent mode, where
 * every process reaches the owner's storage): no in-memory task state. Every operation is one
 * storage transaction; two workers that claim the same task both write its state key, so the
 * second commit fails with a conflict (first committer wins) and retries on a fresh snapshot.
 * Same keys and records as the exclusive engine, so a queue can be opened either way.
 *
 * Dequeue reads the order index (order-index.ts): it promotes the delayed/claimed tasks whose
 * time has come (timer keys up to `now`) to pending, dead-lettering leases that ran out on the
 * last attempt, then claims the first ready key — two short range reads, whatever the length of
 * the queue. Promotions are written rather than merely read so that each due task is handled
 * once (not re-read by every dequeue while it waits behind better tasks), and so that the ready
 * range alone gives the order. Claiming writes the task's state and moves its index key in the
 * same transaction, so racing claimers still conflict on the state key.
 *
 * topK reads the first k ready keys and the due ones. stats and purge read every task (O(n)):
 * a count needs each task's state as of now. A queue written before the index existed is
 * indexed once, on first use (`ensureOrderIndex`, O(n)).
 */
export class SharedQueueEngine implements QueueEngine {
  readonly #session = randomUUID();
  #deltas = 0;
  readonly #folding = new Set<CounterName>();

  constructor(
    private readonly storage: Storage,
    private readonly name: string,
    private readonly settings: EngineSettings,
  ) {}

  enqueue(tasks: readonly CheckedEnqueue[], { txn }: WriteOptions): Promise<string[]> {
    return this.#run(txn, async (t) => {
      const now = this.settings.clock();
      const ids: string[] = [];
      for (const task of tasks) ids.push(await this.#insert(t, this.name, task, { payload: task.payload, metadata: task.metadata }, now, ids));
      return ids;
    });
  }

  dequeue(options: DequeueOptions): Promise<Task | null> {
    return options.txn === undefined ? inTurn(this.storage, this.name, () => this.#dequeue(options)) : this.#dequeue(options);
  }

  async #dequeue({ workerId, visibilityTimeoutMs, txn }: DequeueOptions): Promise<Task | null> {
    for (;;) {
      const result = await this.#run(txn, async (t): Promise<Task | null | typeof PROMOTED> => {
        await ensureOrderIndex(this.storage, t, this.name);
        const now = this.settings.clock();
        // In the caller's transaction everything due is promoted at once: it cannot commit halfway.
        if (!(await this.#promoteDue(t, now, txn === undefined ? PROMOTE_BATCH : undefined))) return PROMOTED;
        const [head] = await this.#ready(t, 1, true);
        if (head === undefined) return null;
        const next = claimed(head, workerId, now, visibilityTimeoutMs ?? this.settings.visibilityTimeoutMs, randomUUID());
        await t.batch(this.#putState(head, next));
        const body = decodeBody(next.id, await t.get(queueKeys.body(this.name, next.id)));
        return { ...toView(next, body), state: 'claimed', workerId, claimToken: next.token!, leaseExpiresAt: next.visibleAt };
      });
      if (result !== PROMOTED) return result;
    }
  }

  ack(claim: ClaimRef, { txn }: WriteOptions): Promise<boolean> {
    return this.#run(txn, async (t) => {
      const current = await this.#task(t, claim.taskId);
      if (current === undefined || current.exhausted || !holdsClaim(current.record, claim)) return false;
      await t.batch([...this.#remove(this.name, current.stored), this.#increment('completed')]);
      return true;
    });
  }

  nack(claim: ClaimRef, { delayMs = 0, priority, txn }: NackOptions): Promise<boolean> {
    return this.#run(txn, async (t) => {
      const current = await this.#task(t, claim.taskId);
      if (current === undefined || current.exhausted || !holdsClaim(current.record, claim)) return false;
      const now = this.settings.clock();
      const prev = current.record;
      if (prev.attempts >= this.settings.maxAttempts) {
        await this.#deadLetter(t, current.stored, { ...prev, priority: priority ?? prev.priority, history: endLastAttempt(prev.history, 'nacked', now) }, now);
      } else {
        await t.batch(this.#putState(current.stored, retried(prev, now, delayMs, priority)));
      }
      return true;
    });
  }

  extendVisibility(claim: ClaimRef, ms: number, { txn }: WriteOptions): Promise<number> {
    return this.#run(txn, async (t) => {
      const current = await this.#task(t, claim.taskId);
      if (current === undefined || current.exhausted || !holdsClaim(current.record, claim)) throw new ClaimLostError(claim.taskId);
      const next: TaskRecord = { ...current.record, state: 'claimed', visibleAt: this.settings.clock() + ms, history: reopenLastAttempt(current.record.history) };
      await t.batch(this.#putState(current.stored, next));
      return next.visibleAt;
    });
  }

  /** O(n): reads every task, since due tasks count where they stand at `now`. */
  async stats(): Promise<QueueStats> {
    return this.#run(undefined, async (t) => {
      const counts = { pending: 0, delayed: 0, claimed: 0, completed: await this.#counter(t, 'completed'), deadLettered: await this.#counter(t, 'deadLettered') };
      for (const { record, exhausted } of await this.#tasks(t, this.settings.clock())) {
        // An expired last delivery is dead-lettered by the next write; count it where it is going.
        if (exhausted) counts.deadLettered++;
        else if (record.state !== 'dead') counts[record.state]++;
      }
      return { ...counts, total: counts.pending + counts.delayed + counts.claimed + counts.completed + counts.deadLettered };
    });
  }

  /** The first k ready keys and every due (not yet promoted) task, judged as of now: O(k + due). */
  async topK(k: number): Promise<TaskView[]> {
    return this.#run(undefined, async (t) => {
      await ensureOrderIndex(this.storage, t, this.name);
      const now = this.settings.clock();
      const top = new StreamingTopK<{ readonly key: Buffer; readonly record: TaskRecord }>(k, (a, b) => Buffer.compare(a.key, b.key));
      for (const { record, exhausted } of (await this.#due(t, now, undefined)).tasks) if (!exhausted) top.push({ key: readyKey(this.name, record), record });
      for (const record of await this.#ready(t, k, false)) top.push({ key: readyKey(this.name, record), record });
      const records = top.toSortedArray().map((entry) => entry.record);
      const bodies = await t.getMany(records.map((r) => queueKeys.body(this.name, r.id)));
      return records.map((r, i) => toView(r, decodeBody(r.id, bodies[i])));
    });
  }

  async getTask(taskId: string): Promise<TaskView | null> {
    return this.#run(undefined, async (t) => {
      const current = await this.#task(t, taskId);
      if (current === undefined) return null;
      const record: TaskRecord = current.exhausted ? { ...current.record, state: 'dead', token: undefined, workerId: undefined } : current.record;
      return toView(record, decodeBody(taskId, await t.get(queueKeys.body(this.name, taskId))));
    });
  }

  purge({ includeClaimed = false, txn }: PurgeOptions): Promise<number> {
    return this.#run(txn, async (t) => {
      const victims = (await this.#tasks(t, this.settings.clock())).filter(({ record }) => includeClaimed || record.state !== 'claimed');
      await t.batch(victims.flatMap(({ stored }) => this.#remove(this.name, stored)));
      return victims.length;
    });
  }

  /**
   * Turns due delayed tasks and expired leases into pending ones in storage (the same record
   * `asOf` reads, so nothing observable changes), moving their keys to the ready range, and
   * dead-letters leases that ran out on the last attempt. False when more than `max` were due:
   * the caller commits these and comes back for the rest.
   */
  async #promoteDue(t: Transaction, now: number, max: number | undefined): Promise<boolean> {
    const { tasks, stale, more } = await this.#due(t, now, max);
    for (const key of stale) await t.del(key);
    for (const { stored, record, exhausted } of tasks) {
      if (exhausted) await this.#deadLetter(t, stored, record, now);
      else await t.batch(this.#putState(stored, record));
    }
    return !more;
  }

  /** The tasks of the first `limit` due timer keys, as of `now`; `more` when there are others. */
  async #due(t: Transaction, now: number, limit: number | undefined): Promise<{ readonly tasks: Current[]; readonly stale: Buffer[]; readonly more: boolean }> {
    const found = await readKeys(t, dueRange(this.name, now), limit === undefined ? undefined : limit + 1);
    const more = limit !== undefined && found.length > limit;
    const keys = more ? found.slice(0, limit) : found;
    const tasks: Current[] = [];
    const stale: Buffer[] = [];
    const values = await this.#states(t, keys);
    keys.forEach((key, i) => {
      const stored = this.#indexed(key, values[i]);
      if (stored === undefined) stale.push(key);
      else tasks.push({ stored, ...asOf(stored, now, this.settings.maxAttempts) });
    });
    return { tasks, stale, more };
  }

  /**
   * The first `want` pending tasks in dequeue order. An index key that no stored state accounts
   * for (which only a writer that bypassed this package could leave) is skipped, and with
   * `clean` deleted.
   */
  async #ready(t: Transaction, want: number, clean: boolean): Promise<TaskRecord[]> {
    const out: TaskRecord[] = [];
    const range = readyRange(this.name);
    let after: Buffer | undefined;
    while (out.length < want) {
      const keys = await readKeys(t, after === undefined ? range : { gt: after, lt: range.lt }, want - out.length);
      if (keys.length === 0) break;
      const values = await this.#states(t, keys);
      for (const [i, key] of keys.entries()) {
        const stored = this.#indexed(key, values[i]);
        if (stored !== undefined) out.push(stored);
        else if (clean) await t.del(key);
      }
      after = keys[keys.length - 1];
    }
    return out;
  }

  /** The stored states of the tasks of these index keys. */
  async #states(t: Transaction, keys: readonly Buffer[]): Promise<(Buffer | undefined)[]> {
    return keys.length === 0 ? [] : t.getMany(keys.map((key) => queueKeys.state(this.name, decodeKeyTail(key))));
  }

  /** The stored record an index key stands for, or undefined when the key is stale. */
  #indexed(key: Buffer, value: Buffer | undefined): TaskRecord | undefined {
    if (value === undefined) return undefined;
    const stored = decodeState(decodeKeyTail(key), value);
    return orderKey(this.name, stored)?.equals(key) === true ? stored : undefined;
  }

  /** Runs `fn` in the caller's transaction, or in its own with retries on conflict. */
  async #run<T>(txn: Transaction | undefined, fn: (t: Transaction) => Promise<T>): Promise<T> {
    if (this.storage.status !== 'open') {
      throw new DatabaseError(`queue '${this.name}' cannot be used: its storage is ${this.storage.status}`, {
        remediation: 'Open the storage again and create a new PriorityQueue on it.',
      });
    }
    return txn === undefined ? this.storage.transaction(fn, { retries: RETRIES }) : fn(txn);
  }

  async #tasks(t: KeyValueStore, now: number): Promise<Current[]> {
    const out: Current[] = [];
    for await (const [key, value] of t.iterator(keyRange(queueKeys.statePrefix(this.name)))) {
      const stored = decodeState(decodeKeyTail(key), value);
      out.push({ stored, ...asOf(stored, now, this.settings.maxAttempts) });
    }
    return out;
  }

  async #task(t: KeyValueStore, taskId: string): Promise<Current | undefined> {
    const value = await t.get(queueKeys.state(this.name, taskId));
    if (value === undefined) return undefined;
    const stored = decodeState(taskId, value);
    return { stored, ...asOf(stored, this.settings.clock(), this.settings.maxAttempts) };
  }

  /** Stores `next` as the state of the task stored as `stored`, with its order-index change. */
  #putState(stored: TaskRecord, next: TaskRecord): WriteOp[] {
    return [{ type: 'put', key: queueKeys.state(this.name, next.id), value: encodeState(next) }, ...orderOps(this.name, stored, next)];
  }

  async #insert(t: Transaction, queue: string, task: CheckedEnqueue, body: TaskBody, now: number, batchIds: readonly string[]): Promise<string> {
    const id = task.taskId ?? randomUUID();
    if (batchIds.includes(id) || (await t.get(queueKeys.state(queue, id))) !== undefined) throw new DuplicateTaskError(id);
    const record: TaskRecord = {
      id, priority: task.priority, seq: this.#nextSeq(), attempts: 0,
      state: task.delayMs > 0 ? 'delayed' : 'pending', visibleAt: now + task.delayMs,
      token: undefined, workerId: undefined, history: [], enqueuedAt: now,
    };
    await t.batch([
      { type: 'put', key: queueKeys.body(queue, id), value: encodeBody(body) },
      { type: 'put', key: queueKeys.state(queue, id), value: encodeState(record) },
      ...orderOps(queue, undefined, record),
    ]);
    return id;
  }

  /**
   * Enqueue order: wall-clock microsecond-scale numbers, strictly rising within this process. A
   * shared sequence key would make every two concurrent enqueues conflict; the price is that
   * across processes FIFO holds to the millisecond (clocks of one machine), not to the commit.
   */
  #nextSeq(): number {
    return (lastSeq = Math.max(lastSeq + 1, Date.now() * 1000));
  }

  /** Moves the task stored as `stored` (and as of now `record`) to the dead-letter queue, or marks it dead. */
  async #deadLetter(t: Transaction, stored: TaskRecord, record: TaskRecord, now: number): Promise<void> {
    const dlq = this.settings.deadLetterQueue;
    if (dlq === undefined) {
      await t.batch([...this.#putState(stored, { ...record, state: 'dead', token: undefined, workerId: undefined }), this.#increment('deadLettered')]);
      return;
    }
    const body = decodeBody(record.id, await t.get(queueKeys.body(this.name, record.id)));
    const taken = (await t.get(queueKeys.state(dlq, record.id))) !== undefined;
    const origin = { queue: this.name, taskId: record.id, priority: record.priority, attempts: record.attempts, history: record.history, deadLetteredAt: now };
    const task: CheckedEnqueue = { taskId: taken ? `${record.id}~${randomUUID()}` : record.id, priority: record.priority, payload: body.payload, metadata: body.metadata, delayMs: 0 };
    await this.#insert(t, dlq, task, { ...body, deadLetter: origin }, now, []);
    await t.batch([...this.#remove(this.name, stored), this.#increment('deadLettered')]);
  }

  #remove(queue: string, stored: TaskRecord): WriteOp[] {
    return [
      { type: 'del', key: queueKeys.state(queue, stored.id) },
      { type: 'del', key: queueKeys.body(queue, stored.id) },
      ...orderOps(queue, stored, undefined),
    ];
  }

  #increment(counter: CounterName) {
    return { type: 'put', key: queueKeys.counterDelta(this.name, counter, this.#session, this.#deltas++), value: '' } as const;
  }

  async #counter(t: KeyValueStore, counter: CounterName): Promise<number> {
    const { base, deltas } = await this.#readCounter(t, counter);
    if (deltas.length >= FOLD_AT) this.#fold(counter);
    return base + deltas.length;
  }

  async #readCounter(t: KeyValueStore, counter: CounterName): Promise<{ base: number; deltas: Buffer[] }> {
    const stored = await t.get(queueKeys.counterBase(this.name, counter));
    const deltas: Buffer[] = [];
    for await (const [key] of t.iterator(keyRange(queueKeys.counterDeltaPrefix(this.name, counter)))) deltas.push(key);
    return { base: stored === undefined ? 0 : Number(stored.toString('utf8')), deltas };
  }

  /**
   * Folds the delta keys a snapshot sees into the base key, in the background. Increments
   * committed meanwhile are other keys and stay for the next fold; two folds conflict on the base.
   */
  #fold(counter: CounterName): void {
    if (this.#folding.has(counter)) return;
    this.#folding.add(counter);
    void this.storage
      .transaction(async (t) => {
        const { base, deltas } = await this.#readCounter(t, counter);
        await t.batch([{ type: 'put', key: queueKeys.counterBase(this.name, counter), value: String(base + deltas.length) }, ...deltas.map((key) => ({ type: 'del' as const, key }))]);
      }, { retries: 10 })
      .catch(() => undefined) // best effort: the deltas stay valid and are folded next time
      .finally(() => this.#folding.delete(counter));
  }
}
