import { AbstractEntryIterator, compareBytes, normalizeRange, type BytesLike, type Entry, type EntryIterator, type KeyValueStore, type Range, type WriteOp } from '@sochdb/core';
import type { StatementWrites } from './writes.js';

/**
 * What a trigger program's statements read and write through: the writes the firing statement has
 * buffered so far, over whatever that statement reads (the transaction, or for a trigger fired
 * from a trigger, the next layer out). Reads see every buffered write — a trigger sees the rows
 * written before it, as in SQLite — and writes join the firing statement's buffer, so the whole
 * statement, triggers included, still reaches the transaction only when all of it succeeded.
 */
export class LayeredStore implements KeyValueStore {
  constructor(private readonly outer: StatementWrites) {}

  get(key: BytesLike): Promise<Buffer | undefined> {
    return this.outer.get(typeof key === 'string' ? Buffer.from(key) : key);
  }

  getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]> {
    return Promise.all(keys.map((k) => this.get(k)));
  }

  iterator(range: Range = {}): EntryIterator {
    const r = normalizeRange(range);
    const overlay = this.outer.pendingIn(r);
    // The firing statement's own reads go to its base only (it reads before it writes).
    const base = this.outer.iterator({ ...range, limit: undefined });
    if (overlay.length === 0 && r.limit < 0) return base;
    return new OverlayIterator(base, r.reverse ? overlay.reverse() : overlay, r.reverse, r.limit);
  }

  async put(key: BytesLike, value: BytesLike): Promise<void> {
    this.outer.put(Buffer.from(typeof key === 'string' ? Buffer.from(key) : key), Buffer.from(typeof value === 'string' ? Buffer.from(value) : value));
  }

  async del(key: BytesLike): Promise<void> {
    this.outer.del(Buffer.from(typeof key === 'string' ? Buffer.from(key) : key));
  }

  /** A nested statement's writes, handed over whole (they were encoded for it and are not reused: no copies). */
  async batch(ops: readonly WriteOp[]): Promise<void> {
    for (const op of ops) {
      const key = Buffer.isBuffer(op.key) ? op.key : Buffer.from(op.key);
      if (op.type === 'put') this.outer.put(key, Buffer.isBuffer(op.value) ? op.value : Buffer.from(op.value));
      else this.outer.del(key);
    }
  }
}

/** Entries of `base` overlaid with pending writes (an undefined value deletes), in range order. */
class OverlayIterator extends AbstractEntryIterator {
  #base: Entry[] = [];
  #baseEnded = false;
  #at = 0;
  #remaining: number;

  constructor(
    private readonly baseIterator: EntryIterator,
    private readonly overlay: readonly (readonly [Buffer, Buffer | undefined])[],
    private readonly reverse: boolean,
    limit: number,
  ) {
    super();
    this.#remaining = limit < 0 ? Infinity : limit;
  }

  protected async _nextv(size: number): Promise<Entry[]> {
    const out: Entry[] = [];
    while (out.length < size && this.#remaining > 0) {
      if (this.#base.length === 0 && !this.#baseEnded) {
        this.#base = (await this.baseIterator.nextv(Math.max(size, 64))).reverse();
        if (this.#base.length === 0) this.#baseEnded = true;
      }
      const base = this.#base[this.#base.length - 1];
      const over = this.overlay[this.#at];
      if (base === undefined && over === undefined) break;
      const order = base === undefined ? 1 : over === undefined ? -1 : (this.reverse ? -1 : 1) * compareBytes(base[0], over[0]);
      if (order < 0) {
        out.push(this.#base.pop()!);
        this.#remaining--;
        continue;
      }
      if (order === 0) this.#base.pop();
      this.#at++;
      if (over![1] !== undefined) {
        out.push([over![0], over![1]]);
        this.#remaining--;
      }
    }
    return out;
  }

  protected _close(): Promise<void> {
    return this.baseIterator.close();
  }
}
