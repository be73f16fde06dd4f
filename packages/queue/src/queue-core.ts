import { randomUUID } from 'node:crypto';
import { TransactionConflictError, keyRange, type Storage, type WriteOp } from '@sochdb/core';
import { DurableCounters } from './counters.js';
import { DuplicateTaskError } from './errors.js';
import { decodeBody, decodeKeyTail, decodeState, encodeBody, encodeState, queueKeys, type TaskBody, type TaskRecord } from './records.js';
import { orderIndexOps, orderOps } from './order-index.js';
import { TaskIndex, type Hold, type Slot } from './task-index.js';
import { txnHolds } from './txn-holds.js';
import { WriteCoalescer } from './write-coalescer.js';
import type { CheckedEnqueue } from './validate.js';

/**
 * The shared state of one queue name on one Storage. Every PriorityQueue for that name on that
 * Storage uses the same QueueCore (see `queueCoreFor`), so two queue objects in one process can
 * never claim the same task. Claims are decided synchronously on the in-memory index — the
 * event loop makes that atomic without locks — and then made durable with one write each;
 * concurrent writes share fsyncs through core's group commit.
 */
export class QueueCore {
  readonly index = new TaskIndex();
  readonly counters: DurableCounters;
  readonly #writes: WriteCoalescer;
  /** One atomic write of this queue's keys, merged with concurrent ones (see WriteCoalescer). */
  readonly submit = (ops: readonly WriteOp[]): Promise<void> => this.#writes.submit(ops);
  readonly ready: Promise<void>;
  #nextSeq = 0;
  /** Dead-letter moves started by lease expiry; stats() waits for them. */
  readonly #moves = new Set<Promise<void>>();

  constructor(
    readonly storage: Storage,
    readonly name: string,
  ) {
    this.counters = new DurableCounters(storage, name);
    this.#writes = new WriteCoalescer(storage);
    this.ready = this.#load();
    // The first caller awaits `ready` and sees the error; this only stops an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  async #load(): Promise<void> {
    const now = Date.now();
    const records: TaskRecord[] = [];
    for await (const [key, value] of this.storage.iterator(keyRange(queueKeys.statePrefix(this.name)))) {
      const id = decodeKeyTail(key);
      const record = decodeState(id, value);
      const slot: Slot = { id, record: undefined, stored: undefined, version: 0, hold: undefined };
      this.index.slots.set(id, slot);
      this.index.commit(slot, record);
      records.push(record);
      if (record.seq >= this.#nextSeq) this.#nextSeq = record.seq + 1;
    }
    // A queue written before the order index existed gets it now, while every state is at hand;
    // this engine does not read it, but keeps it for shared-mode users of the same folder.
    if ((await this.storage.get(queueKeys.orderIndexMark(this.name))) === undefined) {
      await this.storage.batch(await orderIndexOps(this.storage, this.name, records));
    }
    // The sequence only needs to exceed every live task's; a wall-clock floor keeps it rising
    // across restarts even when the queue was drained.
    this.#nextSeq = Math.max(this.#nextSeq, now * 1000);
    await this.counters.load();
  }

  nextSeq(): number {
    return this.#nextSeq++;
  }

  /** Waits for dead-letter moves started by earlier calls. */
  async settleMoves(): Promise<void> {
    while (this.#moves.size > 0) await Promise.allSettled([...this.#moves]);
  }

  track(move: Promise<void>): void {
    const tracked = move.catch(() => undefined).finally(() => this.#moves.delete(tracked));
    this.#moves.add(tracked);
  }

  /**
   * Runs `use` on the committed slot of a task (undefined when there is no such task) as soon as
   * no other write owns it — synchronously after the check, so `use` can take a hold before any
   * other call runs. Waits for a plain write in flight; refuses (conflict) when a transaction
   * that has not ended owns the task.
   */
  async withSlot<T>(taskId: string, use: (slot: Slot | undefined) => T | Promise<T>): Promise<T> {
    for (;;) {
      txnHolds.sweep();
      const slot = this.index.slots.get(taskId);
      const hold = slot?.hold;
      if (slot === undefined || hold === undefined) return use(slot?.record === undefined ? undefined : slot);
      if (hold.txn !== undefined) {
        throw new TransactionConflictError(`task '${taskId}' is being changed by a transaction that has not committed yet`, {
          remediation: 'Retry after that transaction commits or aborts; one transaction may change a given task only once.',
        });
      }
      await hold.settled;
    }
  }

  /** Validates ids and builds the slots, records and writes of new tasks (not yet visible). */
  prepareInsert(tasks: readonly CheckedEnqueue[], now: number, bodies: readonly TaskBody[]): PreparedInsert {
    const ids = new Set<string>();
    const records: TaskRecord[] = tasks.map((t) => {
      const id = t.taskId ?? randomUUID();
      if (ids.has(id) || this.index.slots.has(id)) throw new DuplicateTaskError(id);
      ids.add(id);
      return {
        id,
        priority: t.priority,
        seq: this.nextSeq(),
        attempts: 0,
        state: t.delayMs > 0 ? 'delayed' : 'pending',
        visibleAt: now + t.delayMs,
        token: undefined,
        workerId: undefined,
        history: [],
        enqueuedAt: now,
      };
    });
    const ops: WriteOp[] = [];
    records.forEach((r, i) => {
      ops.push({ type: 'put', key: queueKeys.body(this.name, r.id), value: encodeBody(bodies[i]!) });
      ops.push({ type: 'put', key: queueKeys.state(this.name, r.id), value: encodeState(r) });
      ops.push(...orderOps(this.name, undefined, r));
    });
    return { records, ops };
  }

  /** Claims the new tasks' ids in the index under `hold` (they stay invisible until committed). */
  reserve(records: readonly TaskRecord[], hold: Hold): Slot[] {
    return records.map((r) => {
      const slot: Slot = { id: r.id, record: undefined, stored: undefined, version: 0, hold };
      this.index.slots.set(r.id, slot);
      return slot;
    });
  }

  /** The writes that store `next` as the task's state, with its order-index change. */
  putState(slot: Slot, next: TaskRecord): WriteOp[] {
    return [{ type: 'put', key: queueKeys.state(this.name, next.id), value: encodeState(next) }, ...orderOps(this.name, slot.stored, next)];
  }

  removeTask(slot: Slot): WriteOp[] {
    return [
      { type: 'del', key: queueKeys.state(this.name, slot.id) },
      { type: 'del', key: queueKeys.body(this.name, slot.id) },
      ...orderOps(this.name, slot.stored, undefined),
    ];
  }

  async readBody(taskId: string): Promise<TaskBody> {
    const key = queueKeys.body(this.name, taskId);
    // A synchronous read where the backend has one saves a round trip through the thread pool.
    return decodeBody(taskId, this.storage.supports.getSync ? this.storage.getSync(key) : await this.storage.get(key));
  }

  async readBodies(taskIds: readonly string[]): Promise<TaskBody[]> {
    const values = await this.storage.getMany(taskIds.map((id) => queueKeys.body(this.name, id)));
    return values.map((v, i) => decodeBody(taskIds[i]!, v));
  }
}

export interface PreparedInsert {
  readonly records: readonly TaskRecord[];
  readonly ops: readonly WriteOp[];
}

const cores = new WeakMap<Storage, Map<string, QueueCore>>();

/** The one QueueCore for `name` on `storage`, created (and loaded) on first use. */
export function queueCoreFor(storage: Storage, name: string): QueueCore {
  let byName = cores.get(storage);
  if (byName === undefined) cores.set(storage, (byName = new Map<string, QueueCore>()));
  let core = byName.get(name);
  if (core === undefined) {
    const created = (core = new QueueCore(storage, name));
    byName.set(name, created);
    // A queue that failed to load is forgotten, so the next PriorityQueue for it tries again.
    created.ready.catch(() => {
      if (byName.get(name) === created) byName.delete(name);
    });
  }
  return core;
}
