import { compareBytes, type EntryIterator, type KeyValueReader, type KeyValueStore, type Range, type WriteOp } from '@sochdb/core';

/**
 * A statement's writes, buffered until the statement succeeds. Point reads see them; nothing
 * reaches the transaction (the caller's, or the statement's own) until `flush()`. This is what
 * makes a statement atomic inside a caller's transaction: a constraint failure on row 500
 * leaves the transaction exactly as it was before the statement.
 */
export class StatementWrites implements KeyValueReader {
  readonly #pending = new Map<string, { key: Buffer; value: Buffer | undefined }>();

  /**
   * @param syncRead answers a point read synchronously when it can (returns `null` when it
   *   cannot): the engine uses Storage.getSync while nothing has committed since the
   *   transaction's snapshot, which saves an async LevelDB read per inserted row.
   * @param onFlush told which keys were written, so `syncRead` knows to defer to the transaction.
   */
  constructor(
    readonly base: KeyValueStore,
    private readonly syncRead: ((key: Buffer, latin1: string) => Buffer | undefined | null) | undefined = undefined,
    private readonly onFlush: ((latin1Keys: Iterable<string>) => void) | undefined = undefined,
  ) {}

  get size(): number {
    return this.#pending.size;
  }

  async get(key: Uint8Array | string): Promise<Buffer | undefined> {
    const k = typeof key === 'string' ? Buffer.from(key) : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
    const id = k.toString('latin1');
    const p = this.#pending.get(id);
    if (p) return p.value;
    const fast = this.syncRead?.(k, id);
    if (fast !== null && fast !== undefined) return fast;
    if (fast === undefined && this.syncRead) return undefined;
    return this.base.get(k);
  }

  async getMany(keys: readonly (Uint8Array | string)[]): Promise<(Buffer | undefined)[]> {
    return Promise.all(keys.map((k) => this.get(k)));
  }

  /** Reads the base only: statements read their input before they write. */
  iterator(range?: Range): EntryIterator {
    return this.base.iterator(range);
  }

  put(key: Buffer, value: Buffer): void {
    this.#pending.set(key.toString('latin1'), { key, value });
  }

  del(key: Buffer): void {
    this.#pending.set(key.toString('latin1'), { key, value: undefined });
  }

  /** Whether any live key lies in `[gte, lt)`, counting buffered puts and deletes. */
  async anyInRange(range: { readonly gte: Uint8Array; readonly lt: Uint8Array | undefined }): Promise<boolean> {
    for (const { key, value } of this.#pending.values()) {
      if (value !== undefined && compareBytes(key, range.gte) >= 0 && (range.lt === undefined || compareBytes(key, range.lt) < 0)) return true;
    }
    const it = this.base.iterator({ gte: range.gte, ...(range.lt ? { lt: range.lt } : {}) });
    try {
      for (;;) {
        const batch = await it.nextv(64);
        if (batch.length === 0) return false;
        for (const [k] of batch) {
          const p = this.#pending.get(k.toString('latin1'));
          if (!p || p.value !== undefined) return true;
        }
      }
    } finally {
      await it.close();
    }
  }

  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const ops: WriteOp[] = [];
    for (const { key, value } of this.#pending.values()) ops.push(value === undefined ? { type: 'del', key } : { type: 'put', key, value });
    this.onFlush?.(this.#pending.keys());
    this.#pending.clear();
    await this.base.batch(ops);
  }
}
