import { compareBytes, type EntryIterator, type KeyValueReader, type KeyValueStore, type NormalizedRange, type Range, type WriteOp } from '@sochdb/core';

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

/** The first position in key-ordered `entries` whose key is not below `key`. */
function lowerBound(entries: readonly (readonly [Buffer, Buffer | undefined])[], key: Uint8Array): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(entries[mid]![0], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class StatementWrites implements KeyValueReader {
  #ops: PendingOp[] = [];
  /** latin1 key → index in #ops of the key's last write; undefined until a read needs it. */
  #index: Map<string, number> | undefined;
  /** Each key's last write in key order, built at the first `pendingIn`… */
  #sorted: (readonly [Buffer, Buffer | undefined])[] | undefined;
  /** …and the writes since, merged into it at the next `pendingIn` (a write costs no ordering work). */
  #unsorted: PendingOp[] = [];

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
    if (this.#sorted) this.#unsorted.push(op);
  }

  /** Merges the writes made since the last `pendingIn` into the key-ordered list (the later write of a key wins). */
  #merge(sorted: (readonly [Buffer, Buffer | undefined])[]): (readonly [Buffer, Buffer | undefined])[] {
    if (this.#unsorted.length === 0) return sorted;
    const last = new Map<string, PendingOp>();
    for (const op of this.#unsorted) last.set(op.key.toString('latin1'), op);
    this.#unsorted = [];
    const fresh = [...last.values()].sort((a, b) => compareBytes(a.key, b.key));
    const out: (readonly [Buffer, Buffer | undefined])[] = [];
    let i = 0;
    for (const op of fresh) {
      while (i < sorted.length && compareBytes(sorted[i]![0], op.key) < 0) out.push(sorted[i++]!);
      if (i < sorted.length && compareBytes(sorted[i]![0], op.key) === 0) i++;
      out.push([op.key, op.value]);
    }
    while (i < sorted.length) out.push(sorted[i++]!);
    return out;
  }

  /**
   * Each key's last pending write inside `range`, in key order (a deleted key with an undefined
   * value): what a trigger program's statements, which read through this statement's writes,
   * overlay on the transaction's entries (see layered-store.ts).
   */
  pendingIn(range: NormalizedRange): (readonly [Buffer, Buffer | undefined])[] {
    if (this.#ops.length === 0) return [];
    if (!this.#sorted) {
      const last = new Map<string, PendingOp>();
      for (const op of this.#ops) last.set(op.key.toString('latin1'), op);
      this.#sorted = [...last.values()].sort((a, b) => compareBytes(a.key, b.key)).map((op) => [op.key, op.value] as const);
    }
    const sorted = (this.#sorted = this.#merge(this.#sorted));
    let from = range.gte !== undefined ? lowerBound(sorted, range.gte) : range.gt !== undefined ? lowerBound(sorted, range.gt) : 0;
    if (range.gt !== undefined) while (from < sorted.length && compareBytes(sorted[from]![0], range.gt) <= 0) from++;
    let to = range.lt !== undefined ? lowerBound(sorted, range.lt) : range.lte !== undefined ? lowerBound(sorted, range.lte) : sorted.length;
    if (range.lte !== undefined) while (to < sorted.length && compareBytes(sorted[to]![0], range.lte) <= 0) to++;
    return sorted.slice(from, Math.max(from, to));
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
    this.#sorted = undefined;
    this.#unsorted = [];
    // PendingOp is a WriteOp (`value` is unused on a del).
    // Every key and row here was encoded for this statement and is never touched again.
    const done = this.base.batch(ops as readonly WriteOp[], HANDED_OVER) as Promise<void>;
    this.onFlush?.();
    return done;
  }
}
