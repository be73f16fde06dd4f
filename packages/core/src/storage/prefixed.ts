import { prefixUpperBound, toBytes, type BytesLike } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { AbstractEntryIterator } from './iterator.js';
import type { BatchOptions, Entry, EntryIterator, KeyValueStore, Range, WriteOp } from './types.js';

/**
 * A view of `store` (Storage, a transaction, or another view) confined to the keys under
 * `prefix`: keys are given and returned without the prefix, and no range can reach outside it.
 * This is how namespaces and packages get their own keyspace (use `encodeKey` for the prefix so
 * that one prefix is never the start of another).
 *
 * @example
 * ```ts
 * const users = prefixed(storage, encodeKey(['users']));
 * await users.put('alice', '{"age":30}'); // stored under encodeKey(['users']) followed by 'alice'
 * for await (const [key] of users.iterator()) console.log(key.toString()); // alice
 * ```
 */
export function prefixed(store: KeyValueStore, prefix: BytesLike): KeyValueStore {
  const p = Buffer.from(toBytes(prefix, 'prefix'));
  if (p.byteLength === 0) throw new ValidationError('prefix must not be empty', { field: 'prefix' });
  return new PrefixedStore(store, p);
}

class PrefixedStore implements KeyValueStore {
  readonly #upper: Uint8Array | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix: Buffer,
  ) {
    this.#upper = prefixUpperBound(prefix);
  }

  #key(key: BytesLike): Buffer {
    return Buffer.concat([this.prefix, toBytes(key, 'key')]);
  }

  get(key: BytesLike): Promise<Buffer | undefined> {
    return this.store.get(this.#key(key));
  }

  getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]> {
    return this.store.getMany(keys.map((k) => this.#key(k)));
  }

  put(key: BytesLike, value: BytesLike): Promise<void | bigint> {
    return this.store.put(this.#key(key), value);
  }

  del(key: BytesLike): Promise<void | bigint> {
    return this.store.del(this.#key(key));
  }

  batch(ops: readonly WriteOp[], options?: BatchOptions): Promise<void | bigint> {
    return this.store.batch(
      ops.map((op) => ({ ...op, key: this.#key(op.key) })),
      options,
    );
  }

  iterator(range: Range = {}): EntryIterator {
    const mapped: { -readonly [K in keyof Range]: Range[K] } = { reverse: range.reverse, limit: range.limit };
    if (range.gt !== undefined) mapped.gt = this.#key(range.gt);
    else mapped.gte = this.#key(range.gte ?? Buffer.alloc(0));
    if (range.lt !== undefined) mapped.lt = this.#key(range.lt);
    else if (range.lte !== undefined) mapped.lte = this.#key(range.lte);
    else if (this.#upper !== undefined) mapped.lt = this.#upper;
    return new StrippingIterator(this.store.iterator(mapped), this.prefix.byteLength);
  }
}

class StrippingIterator extends AbstractEntryIterator {
  constructor(
    private readonly inner: EntryIterator,
    private readonly prefixLength: number,
  ) {
    super();
  }
  protected async _nextv(size: number): Promise<Entry[]> {
    const entries = await this.inner.nextv(size);
    return entries.map(([k, v]) => [k.subarray(this.prefixLength), v] as const);
  }
  protected _close(): Promise<void> {
    return this.inner.close();
  }
}
