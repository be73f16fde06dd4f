import { randomUUID } from 'node:crypto';
import { DatabaseError, keyRange, type KeyValueStore, type Storage, type Transaction } from '@sochdb/core';
import type { CounterName } from './counters.js';
import { ClaimLostError, DuplicateTaskError } from './errors.js';
import { decodeBody, decodeKeyTail, decodeState, encodeBody, encodeState, queueKeys, type TaskBody, type TaskRecord } from './records.js';
import type { EngineSettings } from './storage-engine.js';
import { StreamingTopK } from './streaming-top-k.js';
import { asOf, claimed, endLastAttempt, holdsClaim, reopenLastAttempt, retried, toView } from './transitions.js';
import { dequeueOrder } from './task-index.js';
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

/**
 * The queue for a Storage that several processes use at once (SochDB's concurrent mode, where
 * every process reaches the owner's storage): no in-memory state at all. Every operation is one
 * storage transaction that reads the tasks and writes its change; two workers that claim the same
 * task both write its state key, so the second commit fails with a conflict (first committer
 * wins) and retries on a fresh snapshot. Same keys and records as the exclusive engine, so a
 * queue can be opened either way. Costs O(tasks in the queue) per dequeue, stats and topK.
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

  #dequeue({ workerId, visibilityTimeoutMs, txn }: DequeueOptions): Promise<Task | null> {
    return this.#run(txn, async (t) => {
      const now = this.settings.clock();
      let best: TaskRecord | undefined;
      for (const { record, exhausted } of await this.#tasks(t, now)) {
        if (exhausted) await this.#deadLetter(t, record, now);
        else if (record.state === 'pending' && (best === undefined || dequeueOrder(record, best) < 0)) best = record;
      }
      if (best === undefined) return null;
      const next = claimed(best, workerId, now, visibilityTimeoutMs ?? this.settings.visibilityTimeoutMs, randomUUID());
      await t.put(queueKeys.state(this.name, next.id), encodeState(next));
      const body = decodeBody(next.id, await t.get(queueKeys.body(this.name, next.id)));
      return { ...toView(next, body), state: 'claimed', workerId, claimToken: next.token!, leaseExpiresAt: next.visibleAt };
    });
  }

  ack(claim: ClaimRef, { txn }: WriteOptions): Promise<boolean> {
    return this.#run(txn, async (t) => {
      const current = await this.#task(t, claim.taskId);
      if (current === undefined || current.exhausted || !holdsClaim(current.record, claim)) return false;
      await t.batch([...this.#remove(this.name, claim.taskId), this.#increment('completed')]);
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
        await this.#deadLetter(t, { ...prev, priority: priority ?? prev.priority, history: endLastAttempt(prev.history, 'nacked', now) }, now);
      } else {
        await t.put(queueKeys.state(this.name, prev.id), encodeState(retried(prev, now, delayMs, priority)));
      }
      return true;
    });
  }

  extendVisibility(claim: ClaimRef, ms: number, { txn }: WriteOptions): Promise<number> {
    return this.#run(txn, async (t) => {
      const current = await this.#task(t, claim.taskId);
      if (current === undefined || current.exhausted || !holdsClaim(current.record, claim)) throw new ClaimLostError(claim.taskId);
      const next: TaskRecord = { ...current.record, state: 'claimed', visibleAt: this.settings.clock() + ms, history: reopenLastAttempt(current.record.history) };
      await t.put(queueKeys.state(this.name, next.id), encodeState(next));
      return next.visibleAt;
    });
  }

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

  async topK(k: number): Promise<TaskView[]> {
    return this.#run(undefined, async (t) => {
      const top = new StreamingTopK<TaskRecord>(k, dequeueOrder);
      for (const { record, exhausted } of await this.#tasks(t, this.settings.clock())) if (!exhausted && record.state === 'pending') top.push(record);
      const records = top.toSortedArray();
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
      await t.batch(victims.flatMap(({ record }) => this.#remove(this.name, record.id)));
      return victims.length;
    });
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

  async #tasks(t: KeyValueStore, now: number): Promise<{ readonly record: TaskRecord; readonly exhausted: boolean }[]> {
    const out: { readonly record: TaskRecord; readonly exhausted: boolean }[] = [];
    for await (const [key, value] of t.iterator(keyRange(queueKeys.statePrefix(this.name)))) {
      out.push(asOf(decodeState(decodeKeyTail(key), value), now, this.settings.maxAttempts));
    }
    return out;
  }

  async #task(t: KeyValueStore, taskId: string): Promise<{ readonly record: TaskRecord; readonly exhausted: boolean } | undefined> {
    const value = await t.get(queueKeys.state(this.name, taskId));
    return value === undefined ? undefined : asOf(decodeState(taskId, value), this.settings.clock(), this.settings.maxAttempts);
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

  async #deadLetter(t: Transaction, record: TaskRecord, now: number): Promise<void> {
    const dlq = this.settings.deadLetterQueue;
    if (dlq === undefined) {
      await t.batch([
        { type: 'put', key: queueKeys.state(this.name, record.id), value: encodeState({ ...record, state: 'dead', token: undefined, workerId: undefined }) },
        this.#increment('deadLettered'),
      ]);
      return;
    }
    const body = decodeBody(record.id, await t.get(queueKeys.body(this.name, record.id)));
    const taken = (await t.get(queueKeys.state(dlq, record.id))) !== undefined;
    const origin = { queue: this.name, taskId: record.id, priority: record.priority, attempts: record.attempts, history: record.history, deadLetteredAt: now };
    const task: CheckedEnqueue = { taskId: taken ? `${record.id}~${randomUUID()}` : record.id, priority: record.priority, payload: body.payload, metadata: body.metadata, delayMs: 0 };
    await this.#insert(t, dlq, task, { ...body, deadLetter: origin }, now, []);
    await t.batch([...this.#remove(this.name, record.id), this.#increment('deadLettered')]);
  }

  #remove(queue: string, taskId: string) {
    return [
      { type: 'del', key: queueKeys.state(queue, taskId) },
      { type: 'del', key: queueKeys.body(queue, taskId) },
    ] as const;
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
