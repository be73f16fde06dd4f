import type { NormalizedRange } from './range.js';
import { SortedBufferMap } from './sorted-map.js';
import type { NormalizedOp } from './ops.js';

interface Write {
  readonly key: Buffer;
  value: Buffer | undefined;
}

/**
 * A transaction's buffered writes: the latest value (or deletion) per key.
 *
 * Most transactions only write and look up single keys, so writes live in a hash map (keyed by
 * the key's latin1 string, which is one char per byte and so unique per key); the ordered tree a
 * range read needs is built on the first range read, and keys written after it join the tree at
 * the next range read. A bulk load never pays for ordering it does not use (a hash insert costs a
 * third of a tree insert), even after a range read at its start, and each key enters the tree
 * at most once.
 */
export class WriteSet {
  readonly #byId = new Map<string, Write>();
  #ordered: SortedBufferMap<Write> | undefined;
  /** Writes of keys new since the tree was last brought up to date. */
  #unordered: Write[] = [];

  get size(): number {
    return this.#byId.size;
  }

  /** The buffered write of `key`: `{ value }` (undefined value = deleted), or undefined if none. */
  lookup(key: Buffer): { readonly value: Buffer | undefined } | undefined {
    return this.#byId.get(key.toString('latin1'));
  }

  set(key: Buffer, value: Buffer | undefined): void {
    const id = key.toString('latin1');
    const existing = this.#byId.get(id);
    if (existing) {
      existing.value = value;
      return;
    }
    const write: Write = { key, value };
    this.#byId.set(id, write);
    if (this.#ordered) this.#unordered.push(write);
  }

  /** Entries inside the range, in key order (or reverse), as `[key, value]`. */
  *range(range: NormalizedRange): Generator<[Buffer, Buffer | undefined]> {
    if (!this.#ordered) {
      const ordered = new SortedBufferMap<Write>();
      for (const write of this.#byId.values()) ordered.set(write.key, write);
      this.#ordered = ordered;
    } else if (this.#unordered.length > 0) {
      for (const write of this.#unordered) this.#ordered.set(write.key, write);
      this.#unordered = [];
    }
    for (const [key, write] of this.#ordered.range(range)) yield [key, write.value];
  }

  /** Every write, in no particular order (a commit applies them atomically, so order is moot). */
  ops(): readonly NormalizedOp[] {
    // A buffered write already has an op's shape; the set is frozen once its commit starts.
    return Array.from(this.#byId.values());
  }

  clear(): void {
    this.#byId.clear();
    this.#ordered = undefined;
    this.#unordered = [];
  }
}
