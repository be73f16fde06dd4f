import { normalizeRange, type BytesLike, type EntryIterator, type KeyValueStore, type Range, type WriteOp } from '@sochdb/core';
import { MergeIterator } from '@sochdb/core/internal';
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
    // Core's transaction overlay: the same merge of a base with pending writes, limit applied after.
    return new MergeIterator(base, r.reverse ? overlay.reverse() : overlay, r.reverse, r.limit);
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
