import { ValidationError } from '@sochdb/core';
import { BinaryHeap } from './heap.js';

/**
 * Keeps the k smallest items (by `compare`) of a stream in O(log k) per item and O(k) memory —
 * ORDER BY … LIMIT k without sorting everything. `compare` orders like Array#sort: the item
 * that should come first is the smaller one.
 *
 * ```ts
 * const top = new StreamingTopK<Task>(10, (a, b) => a.priority - b.priority);
 * for (const t of tasks) top.push(t);
 * top.toSortedArray(); // the 10 first, in order
 * ```
 */
export class StreamingTopK<T> {
  /** How many items are kept at most; 0 keeps none. */
  readonly k: number;
  // A max-heap of the kept items (inverted comparator), so the worst kept item is evicted first.
  readonly #heap: BinaryHeap<T>;

  constructor(
    k: number,
    private readonly compare: (a: T, b: T) => number,
  ) {
    if (!Number.isSafeInteger(k) || k < 0) {
      throw new ValidationError(`k must be a non-negative integer, got ${String(k)}`, { field: 'k' });
    }
    this.k = k;
    this.#heap = new BinaryHeap<T>((a, b) => compare(b, a));
  }

  /** Items kept now: min(k, items pushed since the last `clear`). */
  get size(): number {
    return this.#heap.size;
  }

  /** Offers an item; returns whether it is (for now) among the k kept. */
  push(item: T): boolean {
    if (this.k === 0) return false;
    if (this.#heap.size < this.k) {
      this.#heap.push(item);
      return true;
    }
    const worst = this.#heap.peek()!;
    if (this.compare(item, worst) >= 0) return false;
    this.#heap.pop();
    this.#heap.push(item);
    return true;
  }

  /** `push` for each item, in order (an item equal to the worst kept one does not displace it); returns this for chaining. */
  pushAll(items: Iterable<T>): this {
    for (const item of items) this.push(item);
    return this;
  }

  /** The kept items, first first. */
  toSortedArray(): T[] {
    return this.#heap.toArray().sort(this.compare);
  }

  /** Drops every kept item; `k` stays. */
  clear(): void {
    this.#heap.clear();
  }
}
