import type { Transaction } from '@sochdb/core';
import { BinaryHeap } from './heap.js';
import type { TaskRecord } from './records.js';
import { StreamingTopK } from './streaming-top-k.js';
import type { TaskState } from './types.js';

/**
 * An uncommitted write owns the slot: nobody else may change the task (or claim it) until the
 * write commits or fails. One write per task at a time also keeps the order of durable writes of
 * a task equal to the order the in-memory index saw them.
 */
export interface Hold {
  /** The transaction the write joined, if any (then `settled` resolves only when it ends). */
  readonly txn: Transaction | undefined;
  readonly settled: Promise<void>;
}

export interface Slot {
  readonly id: string;
  /** The last committed record; undefined while the task's enqueue is still uncommitted. */
  record: TaskRecord | undefined;
  /**
   * The record storage holds. Differs from `record` after a memory-only promotion (a due delay
   * or an expired lease reads as pending without a write); writes derive the order-index key to
   * remove from it (see order-index.ts).
   */
  stored: TaskRecord | undefined;
  /** Bumped on every change, so heap nodes pushed before it are skipped as stale. */
  version: number;
  hold: Hold | undefined;
}

interface HeapNode {
  readonly slot: Slot;
  readonly version: number;
  readonly priority: number;
  readonly seq: number;
  readonly visibleAt: number;
}

export const dequeueOrder = (a: { priority: number; seq: number }, b: { priority: number; seq: number }): number => a.priority - b.priority || a.seq - b.seq;

/**
 * The in-memory mirror of one queue: every task's record, a heap of visible tasks in dequeue
 * order, a heap of delayed and claimed tasks by the time they become visible, and counts per
 * state. Heaps use lazy deletion (version stamps) so every change is O(log n).
 */
export class TaskIndex {
  readonly slots = new Map<string, Slot>();
  readonly #ready = new BinaryHeap<HeapNode>(dequeueOrder);
  readonly #timers = new BinaryHeap<HeapNode>((a, b) => a.visibleAt - b.visibleAt || dequeueOrder(a, b));
  readonly #counts: Record<TaskState, number> = { pending: 0, delayed: 0, claimed: 0, dead: 0 };
  /** Waiting dequeues (see long-poll.ts), told when a task turns visible or the next due time moves earlier. */
  readonly #watchers = new Set<() => void>();

  /** Calls `listener` whenever a task may be claimable sooner than before; returns the unsubscribe. */
  watch(listener: () => void): () => void {
    const entry = (): void => listener();
    this.#watchers.add(entry);
    return () => void this.#watchers.delete(entry);
  }

  /** When the earliest delayed or claimed task becomes visible (may be a stale entry: waking early is harmless). */
  nextDueAt(): number | undefined {
    return this.#timers.peek()?.visibleAt;
  }

  count(state: TaskState): number {
    return this.#counts[state];
  }

  /**
   * Makes `record` the committed state of the slot (or removes the task when undefined);
   * `durable: false` for a change that exists in memory only (promotion).
   */
  commit(slot: Slot, record: TaskRecord | undefined, durable = true): void {
    if (slot.record !== undefined) this.#counts[slot.record.state]--;
    slot.record = record;
    if (durable) slot.stored = record;
    slot.version++;
    if (record === undefined) {
      this.slots.delete(slot.id);
      return;
    }
    this.#counts[record.state]++;
    if (slot.hold === undefined) this.#enlist(slot);
  }

  /** Takes the slot out of the heaps while a write owns it. */
  hold(slot: Slot, hold: Hold): void {
    slot.hold = hold;
    slot.version++;
  }

  /** Ends a hold; the slot goes back to the heaps (or away, if its enqueue never committed). */
  release(slot: Slot): void {
    slot.hold = undefined;
    slot.version++;
    if (slot.record === undefined) this.slots.delete(slot.id);
    else this.#enlist(slot);
  }

  /** Removes the visible task that comes first in dequeue order from the heap, if any. */
  popReady(): Slot | undefined {
    for (let node = this.#ready.pop(); node !== undefined; node = this.#ready.pop()) {
      if (this.#isLive(node) && node.slot.record!.state === 'pending') return node.slot;
    }
    return undefined;
  }

  /** Pops every delayed or claimed task whose time has come (tasks under a hold are skipped). */
  popDue(now: number): Slot[] {
    const due: Slot[] = [];
    for (let node = this.#timers.peek(); node !== undefined && node.visibleAt <= now; node = this.#timers.peek()) {
      this.#timers.pop();
      if (this.#isLive(node)) due.push(node.slot);
    }
    return due;
  }

  /** The first k visible tasks in dequeue order, without claiming them. */
  readyTopK(k: number): Slot[] {
    const top = new StreamingTopK<HeapNode>(k, dequeueOrder);
    for (const node of this.#ready.toArray()) if (this.#isLive(node) && node.slot.record!.state === 'pending') top.push(node);
    return top.toSortedArray().map((node) => node.slot);
  }

  #isLive(node: HeapNode): boolean {
    return node.version === node.slot.version && node.slot.hold === undefined && node.slot.record !== undefined;
  }

  #enlist(slot: Slot): void {
    const r = slot.record!;
    const node: HeapNode = { slot, version: slot.version, priority: r.priority, seq: r.seq, visibleAt: r.visibleAt };
    if (r.state === 'pending') {
      this.#ready.push(node);
      this.#notify();
    } else if (r.state === 'delayed' || r.state === 'claimed') {
      // Only a new earliest due time changes how long a waiter may sleep.
      const earliest = this.#timers.peek()?.visibleAt;
      this.#timers.push(node);
      if (earliest === undefined || node.visibleAt < earliest) this.#notify();
    }
  }

  #notify(): void {
    for (const watcher of this.#watchers) watcher();
  }
}
