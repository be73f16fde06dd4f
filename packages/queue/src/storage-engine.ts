import { randomUUID } from 'node:crypto';
import { DatabaseError, type Storage, type Transaction, type WriteOp } from '@sochdb/core';
import type { Clock } from './config.js';
import { ClaimLostError, TaskClaimedError } from './errors.js';
import type { WakeSource } from './long-poll.js';
import { queueCoreFor, type QueueCore } from './queue-core.js';
import type { TaskBody, TaskRecord } from './records.js';
import type { Slot } from './task-index.js';
import { txnHolds } from './txn-holds.js';
import type { ClaimRef, DequeueOptions, NackOptions, PurgeOptions, QueueEngine, QueueStats, Task, TaskView, WriteOptions } from './types.js';
import type { CheckedEnqueue } from './validate.js';
import { WriteHold } from './write-hold.js';
import { asOf, claimed, endLastAttempt, holdsClaim, reopenLastAttempt, retried, toView } from './transitions.js';

/** The per-queue-object settings an operation runs with (the task state itself is shared). */
export interface EngineSettings {
  readonly visibilityTimeoutMs: number;
  readonly maxAttempts: number;
  readonly deadLetterQueue: string | undefined;
  readonly clock: Clock;
}

/** The embedded queue: the shared QueueCore of (storage, name), driven with this object's settings. */
export class StorageQueueEngine implements QueueEngine {
  readonly #core: QueueCore;

  constructor(
    storage: Storage,
    name: string,
    private readonly settings: EngineSettings,
  ) {
    this.#core = queueCoreFor(storage, name);
  }

  get storage(): Storage {
    return this.#core.storage;
  }

  async enqueue(tasks: readonly CheckedEnqueue[], { txn }: WriteOptions): Promise<string[]> {
    const core = await this.#enter();
    const bodies: TaskBody[] = tasks.map((t) => ({ payload: t.payload, metadata: t.metadata }));
    const { records, ops } = core.prepareInsert(tasks, this.settings.clock(), bodies);
    const write = new WriteHold(txn, core.index, []);
    const slots = core.reserve(records, write.hold);
    write.add(core.index, slots);
    await write.write(core.submit, ops, () => records.forEach((r, i) => core.index.commit(slots[i]!, r)));
    return records.map((r) => r.id);
  }

  async dequeue({ workerId, visibilityTimeoutMs, txn }: DequeueOptions): Promise<Task | null> {
    const core = await this.#enter();
    const now = this.settings.clock();
    this.#promote(now);
    const slot = core.index.popReady();
    if (slot === undefined) return null;
    // Everything from popReady to the WriteHold is synchronous: no other call can take this task.
    const prev = slot.record!;
    const next = claimed(prev, workerId, now, visibilityTimeoutMs ?? this.settings.visibilityTimeoutMs, randomUUID());
    const write = new WriteHold(txn, core.index, [slot]);
    const [body] = await Promise.all([core.readBody(slot.id), write.write(core.submit, core.putState(slot, next), () => core.index.commit(slot, next))]);
    return { ...toView(next, body), state: 'claimed', workerId, claimToken: next.token!, leaseExpiresAt: next.visibleAt };
  }

  async ack(claim: ClaimRef, { txn }: WriteOptions): Promise<boolean> {
    const core = await this.#enter();
    // A lease that ran out on the last attempt is dead-lettered first, so its worker cannot ack it.
    this.#promote(this.settings.clock());
    return core.withSlot(claim.taskId, async (slot) => {
      if (slot === undefined || !holdsClaim(slot.record!, claim)) return false;
      const counter = core.counters.increment('completed');
      const write = new WriteHold(txn, core.index, [slot]);
      await write.write(core.submit, [...core.removeTask(slot), counter.op], () => {
        core.index.commit(slot, undefined);
        counter.commit();
      });
      return true;
    });
  }

  async nack(claim: ClaimRef, { delayMs = 0, priority, txn }: NackOptions): Promise<boolean> {
    const core = await this.#enter();
    this.#promote(this.settings.clock());
    return core.withSlot(claim.taskId, async (slot) => {
      if (slot === undefined || !holdsClaim(slot.record!, claim)) return false;
      const now = this.settings.clock();
      const prev = slot.record!;
      if (prev.attempts >= this.settings.maxAttempts) {
        await this.#deadLetter(slot, { ...prev, priority: priority ?? prev.priority, history: endLastAttempt(prev.history, 'nacked', now) }, now, txn);
        return true;
      }
      const next = retried(prev, now, delayMs, priority);
      const write = new WriteHold(txn, core.index, [slot]);
      await write.write(core.submit, core.putState(slot, next), () => core.index.commit(slot, next));
      return true;
    });
  }

  async extendVisibility(claim: ClaimRef, ms: number, { txn }: WriteOptions): Promise<number> {
    const core = await this.#enter();
    this.#promote(this.settings.clock());
    return core.withSlot(claim.taskId, async (slot) => {
      if (slot === undefined || !holdsClaim(slot.record!, claim)) throw new ClaimLostError(claim.taskId);
      const prev = slot.record!;
      const next: TaskRecord = { ...prev, state: 'claimed', visibleAt: this.settings.clock() + ms, history: reopenLastAttempt(prev.history) };
      const write = new WriteHold(txn, core.index, [slot]);
      await write.write(core.submit, core.putState(slot, next), () => core.index.commit(slot, next));
      return next.visibleAt;
    });
  }

  async stats(): Promise<QueueStats> {
    const core = await this.#enter();
    this.#promote(this.settings.clock());
    await core.settleMoves();
    const { index, counters } = core;
    const counts = {
      pending: index.count('pending'),
      delayed: index.count('delayed'),
      claimed: index.count('claimed'),
      completed: counters.value('completed'),
      deadLettered: counters.value('deadLettered'),
    };
    return { ...counts, total: counts.pending + counts.delayed + counts.claimed + counts.completed + counts.deadLettered };
  }

  async topK(k: number): Promise<TaskView[]> {
    const core = await this.#enter();
    this.#promote(this.settings.clock());
    const records = core.index.readyTopK(k).map((slot) => slot.record!);
    const bodies = await core.readBodies(records.map((r) => r.id));
    return records.map((r, i) => toView(r, bodies[i]!));
  }

  async getTask(taskId: string): Promise<TaskView | null> {
    const core = await this.#enter();
    this.#promote(this.settings.clock());
    const record = core.index.slots.get(taskId)?.record;
    if (record === undefined) return null;
    try {
      return toView(record, await core.readBody(taskId));
    } catch (error) {
      // Acked or purged while the body was being read.
      if (core.index.slots.get(taskId)?.record === undefined) return null;
      throw error;
    }
  }

  async purge({ includeClaimed = false, txn }: PurgeOptions): Promise<number> {
    const core = await this.#enter();
    this.#promote(this.settings.clock());
    const victims = [...core.index.slots.values()].filter(
      (slot) => slot.hold === undefined && slot.record !== undefined && (includeClaimed || slot.record.state !== 'claimed'),
    );
    if (victims.length === 0) return 0;
    const write = new WriteHold(txn, core.index, victims);
    const ops = victims.flatMap((slot) => core.removeTask(slot));
    await write.write(core.submit, ops, () => victims.forEach((slot) => core.index.commit(slot, undefined)));
    return victims.length;
  }

  async remove(taskId: string, { includeClaimed = false, txn }: PurgeOptions): Promise<TaskView | null> {
    const core = await this.#enter();
    this.#promote(this.settings.clock());
    return core.withSlot(taskId, async (slot) => {
      const record = slot?.record;
      if (slot === undefined || record === undefined) return null;
      if (record.state === 'claimed' && !includeClaimed) throw new TaskClaimedError(taskId, record.workerId);
      const body = await core.readBody(taskId);
      const write = new WriteHold(txn, core.index, [slot]);
      await write.write(core.submit, core.removeTask(slot), () => core.index.commit(slot, undefined));
      return toView(record, body);
    });
  }

  async wakeSource(): Promise<WakeSource> {
    const core = await this.#core.ready.then(() => this.#core);
    return {
      subscribe: (listener) => core.index.watch(listener),
      msUntilDue: () => {
        const due = core.index.nextDueAt();
        return due === undefined ? undefined : due - this.settings.clock();
      },
      // Every change in this process is pushed; the slow tick only notices an injected clock
      // moved by hand, or the storage closed under the waiter.
      minSleepMs: 1_000,
      maxSleepMs: 1_000,
      closed: () => core.storage.status !== 'open',
    };
  }

  /** Every operation starts here: the queue is loaded, its storage open, aborted transactions swept. */
  async #enter(): Promise<QueueCore> {
    const core = this.#core;
    await core.ready;
    if (core.storage.status !== 'open') {
      throw new DatabaseError(`queue '${core.name}' cannot be used: its storage is ${core.storage.status}`, {
        remediation: 'Open the storage again and create a new PriorityQueue on it.',
      });
    }
    txnHolds.sweep();
    return core;
  }

  /** Makes due delayed tasks and expired leases visible; dead-letters tasks out of attempts. */
  #promote(now: number): void {
    const { index } = this.#core;
    for (const slot of index.popDue(now)) {
      // Memory-only: storage still says "delayed/claimed until visibleAt", which reads the same at the next open.
      const { record, exhausted } = asOf(slot.record!, now, this.settings.maxAttempts);
      if (exhausted) this.#core.track(this.#deadLetter(slot, record, now, undefined));
      else index.commit(slot, record, false);
    }
  }

  /**
   * Moves a task out of attempts to the dead-letter queue (one atomic write covering both
   * queues), or marks it dead when there is none. Holds the slot before its first await.
   */
  async #deadLetter(slot: Slot, record: TaskRecord, now: number, txn: Transaction | undefined): Promise<void> {
    const core = this.#core;
    const write = new WriteHold(txn, core.index, [slot]);
    try {
      const counter = core.counters.increment('deadLettered');
      const dlqName = this.settings.deadLetterQueue;
      if (dlqName === undefined) {
        const dead: TaskRecord = { ...record, state: 'dead', token: undefined, workerId: undefined };
        await write.write(core.submit, [...core.putState(slot, dead), counter.op], () => {
          core.index.commit(slot, dead);
          counter.commit();
        });
        return;
      }
      const dlq = queueCoreFor(core.storage, dlqName);
      const [body] = await Promise.all([core.readBody(slot.id), dlq.ready]);
      const origin = { queue: core.name, taskId: slot.id, priority: record.priority, attempts: record.attempts, history: record.history, deadLetteredAt: now };
      const dlqTaskId = dlq.index.slots.has(slot.id) ? `${slot.id}~${randomUUID()}` : slot.id;
      const task: CheckedEnqueue = { taskId: dlqTaskId, priority: record.priority, payload: body.payload, metadata: body.metadata, delayMs: 0 };
      const inserted = dlq.prepareInsert([task], now, [{ ...body, deadLetter: origin }]);
      const dlqSlots = dlq.reserve(inserted.records, write.hold);
      write.add(dlq.index, dlqSlots);
      const ops: WriteOp[] = [...core.removeTask(slot), counter.op, ...inserted.ops];
      await write.write(core.submit, ops, () => {
        core.index.commit(slot, undefined);
        counter.commit();
        inserted.records.forEach((r, i) => dlq.index.commit(dlqSlots[i]!, r));
      });
    } catch (error) {
      write.revert();
      throw error;
    }
  }
}
