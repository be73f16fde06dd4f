import { DatabaseError, ValidationError } from '../errors.js';
import type { Entry, EntryIterator } from './types.js';

/**
 * The shared half of every iterator: argument checks, idempotent close, and `for await` reading
 * in growing batches (small first, so a loop that breaks early reads little) that closes the
 * cursor on `break` or throw. Implementations supply `_nextv` and `_close`.
 */
export abstract class AbstractEntryIterator implements EntryIterator {
  #closed = false;
  #ended = false;

  /**
   * Up to `size` next entries, an empty array at the end (after which it is not called again).
   * Never called after `close()`.
   */
  protected abstract _nextv(size: number): Promise<Entry[]>;
  /** Releases the cursor; called at most once. */
  protected abstract _close(): Promise<void>;

  /** Whether `close()` has been called (reads then throw DatabaseError). */
  get closed(): boolean {
    return this.#closed;
  }

  async next(): Promise<Entry | undefined> {
    const [entry] = await this.nextv(1);
    return entry;
  }

  async nextv(size: number): Promise<Entry[]> {
    if (!Number.isInteger(size) || size < 1) throw new ValidationError(`nextv size must be a positive integer, got ${String(size)}`, { field: 'size' });
    if (this.#closed) throw new DatabaseError('iterator is closed', { remediation: 'Open a new iterator.' });
    if (this.#ended) return [];
    const entries = await this._nextv(size);
    if (entries.length === 0) this.#ended = true;
    return entries;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this._close();
  }

  /** `await using it = storage.iterator()` closes it on the way out. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Reads entries in growing batches (16, then up to 1024 per call) and closes the iterator when
   * the loop ends, breaks or throws; so an iterator can be looped over only once.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<Entry> {
    try {
      for (let size = 16; ; size = Math.min(size * 4, 1024)) {
        const batch = await this.nextv(size);
        if (batch.length === 0) return;
        yield* batch;
      }
    } finally {
      await this.close();
    }
  }
}

/** An iterator over entries already in memory. */
export class ArrayEntryIterator extends AbstractEntryIterator {
  #pos = 0;
  constructor(private readonly entries: readonly Entry[]) {
    super();
  }
  protected async _nextv(size: number): Promise<Entry[]> {
    const out = this.entries.slice(this.#pos, this.#pos + size);
    this.#pos += out.length;
    return out;
  }
  protected async _close(): Promise<void> {}
}
