import { compareBytes, type EntryIterator, type KeyValueReader, type KeyValueStore, type Range, type WriteOp } from '@sochdb/core';

/** Answers a point read synchronously when it can, else `null` (see TxnState.syncRead). */
export type SyncRead = (key: Buffer) => Buffer | undefined | null;

interface PendingOp {
  readonly type: 'put' | 'del';
  readonly key: Buffer;
  readonly value: Buffer | undefined;
}

/**
 * A statement's writes, buffered until the statement succeeds. Point reads see them; nothing
 * reaches the transaction (the caller's, or the statement's own) until `flush()`. This is what
 * makes a statement atomic inside a caller's transaction: a constraint failure on row 500
 * leaves the transaction exactly as it was before the statement.
 *
 * Writes are kept in order (a later write to the same key wins, as in the transaction's own
 * batch); the by-key index that reads need is only built when a statement first reads while it
 * has writes pending, so appending rows builds no key strings at all.
 */
const HANDED_OVER = { copy: false } as const;

export class StatementWrites implements KeyValueReader {
  #ops: PendingOp[] = [];
  /** latin1 key → index in #ops of the key's last write; undefined until a read needs it. */
  #index: Map<string, number> | undefined;

  /**
   * @param syncRead answers a point read synchronously when it can (a local transaction's
   *   `getSync`: its own writes, then its snapshot), which saves an async LevelDB read per
   *   inserted row.
   * @param onFlush told once the transaction has taken a statement's writes (a core transaction
   *   does before its batch() returns).
   */
  constructor(
    readonly base: KeyValueStore,
    private readonly syncRead: SyncRead | undefined = undefined,
    private readonly onFlush: (() => void) | undefined = undefined,
  ) {}

  get size(): number {
    return this.#ops.length;
  }

  /** The pending write to `key`: `{ value }` (undefined value = deleted), or undefined when none. */
  #pending(key: Buffer): PendingOp | undefined {
    if (this.#ops.length === 0) return undefined;
    if (!this.#index) {
      this.#index = new Map();
      for (let i = 0; i < this.#ops.length; i++) this.#index.set(this.#ops[i]!.key.toString('latin1'), i);
    }
    const at = this.#index.get(key.toString('latin1'));
    return at === undefined ? undefined : this.#ops[at];
  }

  /** A point read answered without waiting, or `null` when only an async read can answer. */
  peek(key: Buffer): Buffer | undefined | null {
    const p = this.#pending(key);
    if (p) return p.value;
    return this.syncRead ? this.syncRead(key) : null;
  }

  async get(key: Uint8Array | string): Promise<Buffer | undefined> {
    const k = typeof key === 'string' ? Buffer.from(key) : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
    const fast = this.peek(k);
    return fast === null ? this.base.get(k) : fast;
  }

  async getMany(keys: readonly (Uint8Array | string)[]): Promise<(Buffer | undefined)[]> {
    return Promise.all(keys.map((k) => this.get(k)));
  }

  /** Reads the base only: statements read their input before they write. */
  iterator(range?: Range): EntryIterator {
    return this.base.iterator(range);
  }

  put(key: Buffer, value: Buffer): void {
    this.#add({ type: 'put', key, value });
  }

  del(key: Buffer): void {
    this.#add({ type: 'del', key, value: undefined });
  }

  #add(op: PendingOp): void {
    this.#index?.set(op.key.toString('latin1'), this.#ops.length);
    this.#ops.push(op);
  }

  /** Whether any live key lies in `[gte, lt)`, counting buffered puts and deletes. */
  async anyInRange(range: { readonly gte: Uint8Array; readonly lt: Uint8Array | undefined }): Promise<boolean> {
    const inRange = (key: Buffer) => compareBytes(key, range.gte) >= 0 && (range.lt === undefined || compareBytes(key, range.lt) < 0);
    for (const op of this.#ops) if (inRange(op.key) && this.#pending(op.key)!.value !== undefined) return true;
    const it = this.base.iterator({ gte: range.gte, ...(range.lt ? { lt: range.lt } : {}) });
    try {
      for (;;) {
        const batch = await it.nextv(64);
        if (batch.length === 0) return false;
        for (const [k] of batch) {
          const p = this.#pending(k);
          if (!p || p.value !== undefined) return true;
        }
      }
    } finally {
      await it.close();
    }
  }

  /** Hands every buffered write to the transaction, in order, as one batch. */
  flush(): Promise<void> {
    const ops = this.#ops;
    if (ops.length === 0) return Promise.resolve();
    this.#ops = [];
    this.#index = undefined;
    // PendingOp is a WriteOp (`value` is unused on a del).
    // Every key and row here was encoded for this statement and is never touched again.
    const done = this.base.batch(ops as readonly WriteOp[], HANDED_OVER) as Promise<void>;
    this.onFlush?.();
    return done;
  }
}
