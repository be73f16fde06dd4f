import { compareBytes } from '../bytes.js';
import type { NormalizedOp } from './ops.js';
import type { NormalizedRange } from './range.js';
import { SortedBufferMap } from './sorted-map.js';

interface Write {
  readonly key: Buffer;
  value: Buffer | undefined;
}

/**
 * A transaction's buffered writes: the latest value (or deletion) per key.
 *
 * Most transactions only write and look up single keys, and bulk loads mostly write keys in
 * ascending order (rowids, queue sequence numbers, timestamps). So a key above every key of the
 * ascending run so far is appended to that run (one byte comparison, no hashing); any other key
 * lives in a hash map keyed by its latin1 string (one char per byte, so unique per key). A key is
 * in one of the two, never both. The ordered tree a range read needs is built on the first range
 * read, and keys written after it join the tree at the next range read: a bulk load never pays
 * for ordering it does not use (a hash insert costs a third of a tree insert, an append far
 * less), and each key enters the tree at most once.
 */
export class WriteSet {
  /** Writes in strictly ascending key order. */
  #run: Write[] = [];
  /** Writes not in the run. */
  readonly #byId = new Map<string, Write>();
  #ordered: SortedBufferMap<Write> | undefined;
  /** Writes of keys new since the tree was last brought up to date. */
  #unordered: Write[] = [];

  get size(): number {
    return this.#run.length + this.#byId.size;
  }

  /** How many of `ops()`'s first ops have strictly ascending keys. */
  get ascending(): number {
    return this.#run.length;
  }

  /** The buffered write of `key`: `{ value }` (undefined value = deleted), or undefined if none. */
  lookup(key: Buffer): { readonly value: Buffer | undefined } | undefined {
    return this.#inRun(key) ?? (this.#byId.size === 0 ? undefined : this.#byId.get(key.toString('latin1')));
  }

  set(key: Buffer, value: Buffer | undefined): void {
    const run = this.#run;
    const last = run.length === 0 ? undefined : run[run.length - 1]!;
    // Above the run's last key, the key cannot be in the map either: the map only takes keys below
    // the run's last key at the time, and that only grows.
    if (last === undefined || compareBytes(key, last.key) > 0) {
      this.#add(run, { key, value });
      return;
    }
    const inRun = this.#inRun(key);
    if (inRun) {
      inRun.value = value;
      return;
    }
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

  #add(run: Write[], write: Write): void {
    run.push(write);
    if (this.#ordered) this.#unordered.push(write);
  }

  /** The run's write of `key`, by binary search (after a range check that rejects most keys at once). */
  #inRun(key: Buffer): Write | undefined {
    const run = this.#run;
    let high = run.length - 1;
    if (high < 0 || compareBytes(key, run[high]!.key) > 0 || compareBytes(key, run[0]!.key) < 0) return undefined;
    let low = 0;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const order = compareBytes(run[mid]!.key, key);
      if (order === 0) return run[mid];
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  /** Entries inside the range, in key order (or reverse), as `[key, value]`. */
  *range(range: NormalizedRange): Generator<[Buffer, Buffer | undefined]> {
    if (!this.#ordered) {
      const ordered = new SortedBufferMap<Write>();
      for (const write of this.#run) ordered.set(write.key, write);
      for (const write of this.#byId.values()) ordered.set(write.key, write);
      this.#ordered = ordered;
      this.#unordered = [];
    } else if (this.#unordered.length > 0) {
      for (const write of this.#unordered) this.#ordered.set(write.key, write);
      this.#unordered = [];
    }
    for (const [key, write] of this.#ordered.range(range)) yield [key, write.value];
  }

  /** Every write: the ascending run first, then the others in no particular order. */
  ops(): readonly NormalizedOp[] {
    // A buffered write already has an op's shape; the set is frozen once its commit starts.
    return this.#byId.size === 0 ? this.#run : [...this.#run, ...this.#byId.values()];
  }

  /** A copy of every write, to restore later (a savepoint). */
  snapshot(): readonly { readonly key: Buffer; readonly value: Buffer | undefined }[] {
    return this.ops().map((w) => ({ key: w.key, value: w.value }));
  }

  /** Puts back exactly the writes of an earlier `snapshot()`. */
  restore(entries: readonly { readonly key: Buffer; readonly value: Buffer | undefined }[]): void {
    this.clear();
    for (const e of entries) this.set(e.key, e.value);
  }

  clear(): void {
    this.#run = [];
    this.#byId.clear();
    this.#ordered = undefined;
    this.#unordered = [];
  }
}
