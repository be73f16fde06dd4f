import { randomUUID } from 'node:crypto';
import {
  compareBytes,
  DatabaseError,
  keyRange,
  TransactionConflictError,
  type KeyValueStore,
  type Storage,
  type Transaction,
  type WriteOp,
} from '@sochdb/core';
import { SharedCounters } from './counters.js';
import { ClaimLostError, DuplicateTaskError, TaskClaimedError } from './errors.js';
import { decodeBody, decodeKeyTail, decodeState, encodeBody, encodeState, queueKeys, type TaskBody, type TaskRecord } from './records.js';
import { ClaimsInFlight } from './claims-in-flight.js';
import { dueRange, ensureOrderIndex, orderKey, orderOps, readKeys, readMany, readyKey, readyRange } from './order-index.js';
import type { EngineSettings } from './storage-engine.js';
import { IndexHeads, type Heads } from './index-heads.js';
import { countTaskStates } from './queue-depth.js';
import { RequestBatcher } from './request-batcher.js';
import { storageWakeSource, type WakeSource } from './long-poll.js';
import { StreamingTopK } from './streaming-top-k.js';
import { asOf, claimed, endLastAttempt, holdsClaim, reopenLastAttempt, retried, toView } from './transitions.js';
import type { ClaimRef, DequeueOptions, NackOptions, PurgeOptions, QueueEngine, QueueStats, Task, TaskView, WriteOptions } from './types.js';
import type { CheckedEnqueue } from './validate.js';

const RETRIES = 1_000;
let lastSeq = 0;

/** Due index entries one dequeue promotes itself; a larger backlog is promoted in batches first. */
const PROMOTE_BATCH = 128;
/** Answer of a dequeue transaction that only promoted a batch of due tasks: run another. */
const PROMOTED = Symbol('promoted a batch');
/** Most dequeues (or acks) of one process served by one transaction. */
const MAX_BATCH = 256;
/**
 * Under contention a claim takes a block of consecutive ready tasks at a random place among the
 * first SPREAD times as many (at least SPREAD_MIN, at most SPREAD_MAX), so that processes
 * claiming at once rarely pick the same: with 32 blocks to choose from, two processes collide on
 * about one claim in 16.
 */
const SPREAD = 32;
const SPREAD_MIN = 32;
const SPREAD_MAX = 512;
/** Batches claimed without a conflict before claims take the exact head again. */
const CALM_AFTER = 16;

interface DequeueRequest {
  readonly workerId: string;
  readonly leaseMs: number;
}

/** A dequeue or an ack waiting for the next transaction of this engine. */
export type QueueWork = ({ readonly kind: 'dequeue' } & DequeueRequest) | { readonly kind: 'ack'; readonly claim: ClaimRef };
/** What a QueueWork resolves with: the claimed task (or null), or whether the ack landed. */
export type WorkResult = Task | null | boolean;

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
 * same transaction, so racing claimers still conflict on the state key. The reads start where
 * IndexHeads knows each range starts (past the tombstones of claimed and acked tasks), and the
 * timer read is skipped while nothing can be due. The dequeues (and acks) a process makes at
 * once share one transaction (RequestBatcher): N workers of a process cost one commit, and do not
 * conflict with each other over the head.
 *
 * topK reads the first k ready keys and the due ones. stats and purge read every task (O(n)):
 * a count needs each task's state as of now. A queue written before the index existed is
 * indexed once, on first use (`ensureOrderIndex`, O(n)).
 */
export class SharedQueueEngine implements QueueEngine {
  readonly #counters: SharedCounters;
  readonly #heads: IndexHeads;
  // Two batches at once: the next one claims while the last one commits (see #claims).
  readonly #work = new RequestBatcher<QueueWork, WorkResult>((items) => this.#serveWork(items), MAX_BATCH, 2);
  /** Tasks claimed by this engine's batches that the other batch's snapshot may not show: it skips them. */
  readonly #claims = new ClaimsInFlight();
  /** Batches left before claims stop spreading (see SPREAD); 0 when uncontended. */
  #contended = 0;

  constructor(
    private readonly storage: Storage,
    private readonly name: string,
    private readonly settings: EngineSettings,
  ) {
    this.#heads = new IndexHeads(storage, name);
    this.#counters = new SharedCounters(storage, name);
  }

  enqueue(tasks: readonly CheckedEnqueue[], { txn }: WriteOptions): Promise<string[]> {
    return this.#run(txn, async (t) => {
      const now = this.settings.clock();
      const ids: string[] = [];
      for (const task of tasks) ids.push(await this.#insert(t, this.name, task, { payload: task.payload, metadata: task.metadata }, now, ids));
      return ids;
    });
  }

  dequeue({ workerId, visibilityTimeoutMs, txn }: DequeueOptions): Promise<Task | null> {
    const request = { workerId, leaseMs: visibilityTimeoutMs ?? this.settings.visibilityTimeoutMs };
    if (txn === undefined) return this.submit({ kind: 'dequeue', ...request }) as Promise<Task | null>;
    // In the caller's transaction everything due is promoted at once: it cannot commit halfway.
    return this.#claim(txn, [request], false, false).then((result) => (result === PROMOTED ? null : result[0]!));
  }

  /**
   * Queues a dequeue or an ack for the next transaction of this engine (the queue service of
   * concurrent mode submits other processes' work here too).
   */
  submit(work: QueueWork): Promise<WorkResult> {
    this.#assertOpen();
    return this.#work.submit(work);
  }

  /**
   * Serves a batch of work in one transaction: its acks, then a task for each dequeue, in order,
   * or as many as are ready (the rest get null). A worker's ack and its next dequeue share a
   * commit. Uncontended, the requests get exactly the first ready tasks. After a third
   * conflict in a row (other processes claim the same head) the retry, and the next CALM_AFTER
   * batches, take consecutive tasks from a random place among the first few hundred ready ones:
   * order across processes then holds to that window, as with BullMQ's concurrent workers, while
   * one process alone keeps the exact order.
   */
  async #serveWork(items: readonly QueueWork[]): Promise<WorkResult[]> {
    const results: WorkResult[] = new Array<WorkResult>(items.length);
    const ackAt = items.flatMap((item, i) => (item.kind === 'ack' ? [i] : []));
    const dequeueAt = items.flatMap((item, i) => (item.kind === 'dequeue' ? [i] : []));
    const requests = dequeueAt.map((i) => items[i] as DequeueRequest);
    let acksDone = ackAt.length === 0;
    const mine = new Set<string>();
    let current: Transaction | undefined;
    const release = () => {
      this.#claims.released(mine);
      mine.clear();
      if (current !== undefined) this.#claims.end(current);
      current = undefined;
    };
    for (;;) {
      let attempt = 0;
      const result = await this.#run(
        undefined,
        async (t): Promise<{ readonly acked: boolean[] | undefined; readonly tasks: (Task | null)[] | typeof PROMOTED }> => {
          release(); // a retry claims afresh
          current = t;
          this.#claims.begin(t);
          t.afterCommit((lsn) => {
            this.#claims.committed(mine, lsn);
            mine.clear();
          });
          // A retry sees the winner's claim (a conflict is reported once the winning commit has
          // landed), so the exact head is free again — unless other processes keep claiming
          // meanwhile. One busy process can win twice in a row; a third loss means a crowd.
          if (attempt++ > 2) this.#contended = CALM_AFTER;
          const acked = acksDone
            ? undefined
            : await this.#ackAll(
                t,
                ackAt.map((i) => (items[i] as { readonly claim: ClaimRef }).claim),
              );
          const tasks = requests.length === 0 ? [] : await this.#claim(t, requests, true, this.#contended > 0, mine);
          return { acked, tasks };
        },
      ).finally(release);
      // Committed: the acks are done, whether or not the claims still wait behind promotions.
      result.acked?.forEach((acked, k) => (results[ackAt[k]!] = acked));
      acksDone = true;
      if (result.tasks === PROMOTED) continue;
      if (attempt === 1 && this.#contended > 0) this.#contended--;
      result.tasks.forEach((task, k) => (results[dequeueAt[k]!] = task));
      return results;
    }
  }

  /**
   * Claims in `t`. In a transaction of its own (`own`), a backlog of due tasks is promoted in
   * batches and the read starts at the known head; in the caller's, whose own writes this
   * cannot see all of, everything due is promoted at once (it cannot commit halfway) and the
   * read starts at the beginning of the range.
   */
  async #claim(
    t: Transaction,
    requests: readonly DequeueRequest[],
    own: boolean,
    spread: boolean,
    mine?: Set<string>,
  ): Promise<(Task | null)[] | typeof PROMOTED> {
    await ensureOrderIndex(this.storage, t, this.name);
    const now = this.settings.clock();
    const bounds: Heads | undefined = own ? await this.#heads.at(() => t.snapshotLsn) : undefined;
    const promotion = await this.#promoteDue(t, now, own ? PROMOTE_BATCH : undefined, bounds?.timer);
    if (!promotion.done) return PROMOTED;
    let from = bounds?.ready;
    if (from !== undefined) for (const key of promotion.readyKeys) if (compareBytes(key, from) < 0) from = key;
    const range = readyRange(this.name);
    let start = from ?? range.gte;
    if (spread) {
      // Index keys only (no states) for the window; the block is then read like the head is.
      const window = await readKeys(t, { gte: start, lt: range.lt }, Math.min(Math.max(requests.length * SPREAD, SPREAD_MIN), SPREAD_MAX));
      if (from !== undefined) this.#heads.learned(t.snapshotLsn, { ready: window[0] ?? range.lt });
      start = window[Math.floor(Math.random() * Math.max(1, window.length - requests.length + 1))] ?? start;
    }
    // The bodies are read with the states: one round trip less remotely.
    const bodies = new Map<string, Buffer | undefined>();
    const { records: heads, first, skipped } = await this.#ready(t, requests.length, true, start, bodies, mine);
    if (heads.length < requests.length && skipped > 0) {
      // This snapshot shows tasks pending that another batch has claimed since (or is claiming):
      // answering null would say the queue was empty when it was not. A fresh snapshot decides.
      throw new TransactionConflictError(`transaction conflict on queue "${this.name}": the tasks this dequeue would take were claimed after it began`);
    }
    if (from !== undefined && !spread) this.#heads.learned(t.snapshotLsn, { ready: first ?? range.lt });
    const claims = heads.map((head, i) => claimed(head, requests[i]!.workerId, now, requests[i]!.leaseMs, randomUUID()));
    await t.batch(claims.flatMap((next, i) => this.#putState(heads[i]!, next)));
    const unread = claims.filter((next) => !bodies.has(next.id));
    if (unread.length > 0)
      (
        await readMany(
          t,
          unread.map((next) => queueKeys.body(this.name, next.id)),
        )
      ).forEach((body, i) => bodies.set(unread[i]!.id, body));
    return requests.map((request, i) => {
      const next = claims[i];
      if (next === undefined) return null;
      const task: Task = {
        ...toView(next, decodeBody(next.id, bodies.get(next.id))),
        state: 'claimed',
        workerId: request.workerId,
        claimToken: next.token!,
        leaseExpiresAt: next.visibleAt,
      };
      return task;
    });
  }

  ack(claim: ClaimRef, { txn }: WriteOptions): Promise<boolean> {
    if (txn === undefined) return this.submit({ kind: 'ack', claim }) as Promise<boolean>;
    return this.#ackAll(txn, [claim]).then(([acked]) => acked!);
  }

  /** Acks in one transaction; a claim not (or no longer) held is answered false. */
  async #ackAll(t: Transaction, claims: readonly ClaimRef[]): Promise<boolean[]> {
    const values = await readMany(
      t,
      claims.map((claim) => queueKeys.state(this.name, claim.taskId)),
    );
    const now = this.settings.clock();
    const ops: WriteOp[] = [];
    const done = new Set<string>();
    const acked = claims.map((claim, i) => {
      const value = values[i];
      // The same task twice in one batch: the second ack finds it gone, as it would one at a time.
      if (value === undefined || done.has(claim.taskId)) return false;
      const stored = decodeState(claim.taskId, value);
      const { record, exhausted } = asOf(stored, now, this.settings.maxAttempts);
      if (exhausted || !holdsClaim(record, claim)) return false;
      done.add(claim.taskId);
      ops.push(...this.#remove(this.name, stored), this.#counters.increment('completed'));
      return true;
    });
    if (ops.length > 0) await t.batch(ops);
    return acked;
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
      const next: TaskRecord = {
        ...current.record,
        state: 'claimed',
        visibleAt: this.settings.clock() + ms,
        history: reopenLastAttempt(current.record.history),
      };
      await t.batch(this.#putState(current.stored, next));
      return next.visibleAt;
    });
  }

  /** O(n) time, constant memory: reads every task's state, since due tasks count where they stand at `now`. */
  async stats(): Promise<QueueStats> {
    return this.#run(undefined, async (t) => {
      const { pending, delayed, claimed, exhausted } = await countTaskStates(t, this.name, this.settings.clock(), this.settings.maxAttempts);
      const completed = await this.#counters.read(t, 'completed');
      // An expired last delivery is dead-lettered by the next write; count it where it is going.
      const deadLettered = (await this.#counters.read(t, 'deadLettered')) + exhausted;
      return { pending, delayed, claimed, completed, deadLettered, total: pending + delayed + claimed + completed + deadLettered };
    });
  }

  /** The first k ready keys and every due (not yet promoted) task, judged as of now: O(k + due). */
  async topK(k: number): Promise<TaskView[]> {
    return this.#run(undefined, async (t) => {
      await ensureOrderIndex(this.storage, t, this.name);
      const now = this.settings.clock();
      const top = new StreamingTopK<{ readonly key: Buffer; readonly record: TaskRecord }>(k, (a, b) => Buffer.compare(a.key, b.key));
      for (const { record, exhausted } of (await this.#due(t, now, undefined)).tasks) if (!exhausted) top.push({ key: readyKey(this.name, record), record });
      for (const record of (await this.#ready(t, k, false)).records) top.push({ key: readyKey(this.name, record), record });
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

  remove(taskId: string, { includeClaimed = false, txn }: PurgeOptions): Promise<TaskView | null> {
    return this.#run(txn, async (t) => {
      const current = await this.#task(t, taskId);
      if (current === undefined) return null;
      const record: TaskRecord = current.exhausted ? { ...current.record, state: 'dead', token: undefined, workerId: undefined } : current.record;
      if (record.state === 'claimed' && !includeClaimed) throw new TaskClaimedError(taskId, record.workerId);
      const body = decodeBody(taskId, await t.get(queueKeys.body(this.name, taskId)));
      await t.batch(this.#remove(this.name, current.stored));
      return toView(record, body);
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
  async #promoteDue(
    t: Transaction,
    now: number,
    max: number | undefined,
    from?: Buffer,
  ): Promise<{ readonly done: boolean; readonly readyKeys: readonly Buffer[] }> {
    // A bound later than now: nothing can be due (see IndexHeads).
    if (from !== undefined && IndexHeads.visibleAt(from) > now) return { done: true, readyKeys: [] };
    const { tasks, stale, more } = await this.#due(t, now, max, from);
    for (const key of stale) await t.del(key);
    const readyKeys: Buffer[] = [];
    for (const { stored, record, exhausted } of tasks) {
      if (exhausted) await this.#deadLetter(t, stored, record, now);
      else {
        await t.batch(this.#putState(stored, record));
        readyKeys.push(readyKey(this.name, record));
      }
    }
    return { done: !more, readyKeys };
  }

  /**
   * The tasks of the first `limit` due timer keys, as of `now`; `more` when there are others.
   * With `from` (an IndexHeads bound), the read starts there and teaches the next bound.
   */
  async #due(
    t: Transaction,
    now: number,
    limit: number | undefined,
    from?: Buffer,
  ): Promise<{ readonly tasks: Current[]; readonly stale: Buffer[]; readonly more: boolean }> {
    const range = dueRange(this.name, now);
    let found: Buffer[];
    if (from === undefined) found = await readKeys(t, range, limit === undefined ? undefined : limit + 1);
    else {
      // Read on past `now` to the first timer key that is not due yet: it bounds the next dequeue,
      // which skips this read while that key's time has not come.
      const timers = keyRange(queueKeys.timerPrefix(this.name));
      const keys = await readKeys(t, { gte: from, lt: timers.lt }, limit === undefined ? undefined : limit + 1);
      this.#heads.learned(t.snapshotLsn, { timer: keys[0] ?? timers.lt });
      found = keys.filter((key) => compareBytes(key, range.lt) < 0);
    }
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
   * `clean` deleted. With `from` (an IndexHeads bound), the read starts there, not at the first
   * tombstone of the range, and teaches the next bound. With `bodies`, the tasks' bodies are read
   * along with their states, into it.
   */
  async #ready(
    t: Transaction,
    want: number,
    clean: boolean,
    from?: Buffer,
    bodies?: Map<string, Buffer | undefined>,
    mine?: Set<string>,
  ): Promise<{ readonly records: TaskRecord[]; readonly first: Buffer | undefined; readonly skipped: number }> {
    const out: TaskRecord[] = [];
    let skipped = 0;
    const range = readyRange(this.name);
    let after: Buffer | undefined;
    let first: Buffer | undefined;
    while (out.length < want) {
      const keys = await readKeys(t, after === undefined ? { gte: from ?? range.gte, lt: range.lt } : { gt: after, lt: range.lt }, want - out.length);
      first ??= keys[0];
      if (keys.length === 0) break;
      after = keys[keys.length - 1];
      // Claimed by this engine's other batch, whose commit this snapshot does not show yet:
      // skipped before their states are read (the other batch took the head just before).
      const open: Buffer[] = [];
      const ids: string[] = [];
      for (const key of keys) {
        const id = decodeKeyTail(key);
        if (this.#claims.taken(id, t)) skipped++;
        else {
          open.push(key);
          ids.push(id);
        }
      }
      const stateKeys = ids.map((id) => queueKeys.state(this.name, id));
      const values = await readMany(t, bodies === undefined ? stateKeys : [...stateKeys, ...ids.map((id) => queueKeys.body(this.name, id))]);
      if (bodies !== undefined) ids.forEach((id, i) => bodies.set(id, values[open.length + i]));
      for (const [i, key] of open.entries()) {
        // Claimed meanwhile by the other batch (readMany may wait on a remote storage).
        if (this.#claims.taken(ids[i]!, t)) {
          skipped++;
          continue;
        }
        const stored = this.#indexed(key, values[i]);
        if (stored !== undefined) {
          out.push(stored);
          // Marked before any await, so that the other batch's read skips it.
          if (mine !== undefined) {
            this.#claims.claim(stored.id);
            mine.add(stored.id);
          }
        } else if (clean) await t.del(key);
      }
    }
    return { records: out, first, skipped };
  }

  /** The stored states of the tasks of these index keys. */
  async #states(t: Transaction, keys: readonly Buffer[]): Promise<(Buffer | undefined)[]> {
    return keys.length === 0
      ? []
      : readMany(
          t,
          keys.map((key) => queueKeys.state(this.name, decodeKeyTail(key))),
        );
  }

  /** The stored record an index key stands for, or undefined when the key is stale. */
  #indexed(key: Buffer, value: Buffer | undefined): TaskRecord | undefined {
    if (value === undefined) return undefined;
    const stored = decodeState(decodeKeyTail(key), value);
    return orderKey(this.name, stored)?.equals(key) === true ? stored : undefined;
  }

  /** Runs `fn` in the caller's transaction, or in its own with retries on conflict. */
  async #run<T>(txn: Transaction | undefined, fn: (t: Transaction) => Promise<T>): Promise<T> {
    this.#assertOpen();
    return txn === undefined ? this.storage.transaction(fn, { retries: RETRIES }) : fn(txn);
  }

  async wakeSource(): Promise<WakeSource> {
    return storageWakeSource(this.storage, this.name, () => this.#heads.nextDueAt(), this.settings.clock);
  }

  #assertOpen(): void {
    assertStorageOpen(this.storage, this.name);
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
      id,
      priority: task.priority,
      seq: this.#nextSeq(),
      attempts: 0,
      state: task.delayMs > 0 ? 'delayed' : 'pending',
      visibleAt: now + task.delayMs,
      token: undefined,
      workerId: undefined,
      history: [],
      enqueuedAt: now,
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
      await t.batch([...this.#putState(stored, { ...record, state: 'dead', token: undefined, workerId: undefined }), this.#counters.increment('deadLettered')]);
      return;
    }
    const body = decodeBody(record.id, await t.get(queueKeys.body(this.name, record.id)));
    const taken = (await t.get(queueKeys.state(dlq, record.id))) !== undefined;
    const origin = { queue: this.name, taskId: record.id, priority: record.priority, attempts: record.attempts, history: record.history, deadLetteredAt: now };
    const task: CheckedEnqueue = {
      taskId: taken ? `${record.id}~${randomUUID()}` : record.id,
      priority: record.priority,
      payload: body.payload,
      metadata: body.metadata,
      delayMs: 0,
    };
    await this.#insert(t, dlq, task, { ...body, deadLetter: origin }, now, []);
    await t.batch([...this.#remove(this.name, stored), this.#counters.increment('deadLettered')]);
  }

  #remove(queue: string, stored: TaskRecord): WriteOp[] {
    return [
      { type: 'del', key: queueKeys.state(queue, stored.id) },
      { type: 'del', key: queueKeys.body(queue, stored.id) },
      ...orderOps(queue, stored, undefined),
    ];
  }
}

/** A queue on a closed (or closing) storage fails with this, in every shared-mode engine. */
export function assertStorageOpen(storage: Storage, queue: string): void {
  if (storage.status !== 'open') {
    throw new DatabaseError(`queue '${queue}' cannot be used: its storage is ${storage.status}`, {
      remediation: 'Open the storage again and create a new PriorityQueue on it.',
    });
  }
}
