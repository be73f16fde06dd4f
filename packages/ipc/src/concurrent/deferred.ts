import {
  AbstractEntryIterator,
  type BytesLike,
  type Entry,
  type EntryIterator,
  type Range,
  type StorageSnapshot,
  type Transaction,
  type TransactionState,
  type WriteOp,
} from '@sochdb/core';

/**
 * Stand-ins for what concurrent mode's synchronous methods return while an owner election runs
 * (the owner died): `iterator()`, `snapshot()` and `beginTransaction()` cannot wait, so they hand
 * back objects that wait for the new owner on first use and then act as the real thing.
 */

/** An iterator over the one `open` resolves with; errors of `open` surface at the first read. */
export class DeferredIterator extends AbstractEntryIterator {
  #inner: EntryIterator | undefined;

  constructor(private readonly open: Promise<EntryIterator>) {
    super();
    open.catch(() => undefined);
  }

  protected async _nextv(size: number): Promise<Entry[]> {
    this.#inner ??= await this.open;
    return this.#inner.nextv(size);
  }

  protected async _close(): Promise<void> {
    const inner = this.#inner ?? (await this.open.catch(() => undefined));
    await inner?.close();
  }
}

export function deferredSnapshot(open: Promise<StorageSnapshot>): StorageSnapshot {
  let inner: StorageSnapshot | undefined;
  const ready = open.then((s) => (inner = s));
  ready.catch(() => undefined);
  return {
    get lsn() {
      return inner?.lsn ?? 0n;
    },
    // Not known before the new owner answers: treated as inexact, which caches must not trust.
    exact: false,
    get: async (key) => (await ready).get(key),
    getMany: async (keys) => (await ready).getMany(keys),
    iterator: (range) => new DeferredIterator(ready.then((s) => s.iterator(range))),
    close: async () => (await ready.catch(() => undefined))?.close(),
    [Symbol.asyncDispose]: async () => (await ready.catch(() => undefined))?.close(),
  };
}

let nextId = 1;

/** A transaction begun on whichever storage `begin` resolves with (the new owner's, or a client of it). */
export class DeferredTransaction implements Transaction {
  readonly id = nextId++;
  #inner: Transaction | undefined;
  #failed = false;
  readonly #ready: Promise<Transaction>;

  constructor(begin: Promise<Transaction>) {
    this.#ready = begin.then(
      (t) => (this.#inner = t),
      (error: unknown) => {
        this.#failed = true;
        throw error;
      },
    );
    this.#ready.catch(() => undefined);
  }

  get state(): TransactionState {
    return this.#inner?.state ?? (this.#failed ? 'aborted' : 'active');
  }
  get snapshotLsn(): bigint {
    return this.#inner?.snapshotLsn ?? 0n;
  }
  async get(key: BytesLike): Promise<Buffer | undefined> {
    return (await this.#ready).get(key);
  }
  async getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]> {
    return (await this.#ready).getMany(keys);
  }
  iterator(range?: Range): EntryIterator {
    return new DeferredIterator(this.#ready.then((t) => t.iterator(range)));
  }
  async put(key: BytesLike, value: BytesLike): Promise<void> {
    return (await this.#ready).put(key, value);
  }
  async del(key: BytesLike): Promise<void> {
    return (await this.#ready).del(key);
  }
  async batch(ops: readonly WriteOp[]): Promise<void> {
    return (await this.#ready).batch(ops);
  }
  afterCommit(callback: (lsn: bigint) => void): void {
    // Registered as soon as the transaction exists, so before any commit() that awaits it.
    if (this.#inner) this.#inner.afterCommit(callback);
    else
      void this.#ready.then(
        (t) => t.afterCommit(callback),
        () => undefined,
      );
  }
  readonly dependOn = (key: BytesLike): void => {
    const copy = typeof key === 'string' ? key : Buffer.from(key);
    if (this.#inner) this.#inner.dependOn?.(copy);
    else
      void this.#ready.then(
        (t) => t.dependOn?.(copy),
        () => undefined,
      );
  };
  async commit(): Promise<bigint> {
    return (await this.#ready).commit();
  }
  async abort(): Promise<void> {
    await (await this.#ready.catch(() => undefined))?.abort();
  }
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.state === 'active') await this.abort();
  }
}
