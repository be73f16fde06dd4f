import type { Storage } from '@sochdb/core';
import type { SemanticCacheKeys } from './keys.js';
import { writeUseTimes } from './sidecar.js';

/** Pending uses written in one transaction once this many entries have one. */
export const USE_BATCH = 256;
/** …or this long after the first pending use, whichever comes first. */
export const USE_FLUSH_MS = 1_000;

/**
 * How "recently used" is persisted cheaply. A hit only records the time in this map (no I/O on
 * the lookup's path); the pending times are written in one transaction per batch — when
 * `USE_BATCH` entries have one, `USE_FLUSH_MS` after the first, and before every put, delete,
 * clear and close — as one small `u` key and one moved `lru` index key per entry (see
 * `writeUseTimes`). So a hot entry hit a thousand times a second costs one write a second, and
 * a hit never rewrites the entry or its vector. Eviction (in `put`) flushes first, so this
 * process's own uses always count; another process's count once it flushes them (at most about
 * a second late, or at its next put). A flush that fails (the storage closed under it) loses that
 * batch: last-use times are a hint for eviction, never data a lookup returns.
 */
export class UseLog {
  readonly #storage: Storage;
  readonly #keys: SemanticCacheKeys;
  #pending = new Map<string, number>();
  #writing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(storage: Storage, keys: SemanticCacheKeys) {
    this.#storage = storage;
    this.#keys = keys;
  }

  /** Records a use of `key` at `at` (ms); starts a background flush when the batch is full. */
  touch(key: string, at: number): void {
    this.#pending.set(key, Math.max(at, this.#pending.get(key) ?? 0));
    if (this.#pending.size >= USE_BATCH) {
      void this.flush().catch(() => undefined); // a lost batch only blurs eviction order (see above)
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => void this.flush().catch(() => undefined), USE_FLUSH_MS);
      this.#timer.unref(); // pending uses never keep a process alive
    }
  }

  /** Forgets the pending use of `key` (it was deleted). */
  forget(key: string): void {
    this.#pending.delete(key);
  }

  /** Forgets every pending use (the cache was cleared). */
  forgetAll(): void {
    this.#pending.clear();
  }

  /** Writes every pending use, one batch at a time; resolves once they are committed. */
  async flush(): Promise<void> {
    this.#stopTimer();
    while (this.#writing !== undefined) await this.#writing.catch(() => undefined);
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    this.#writing = this.#storage.transaction((txn) => writeUseTimes(txn, this.#keys, batch), { retries: 5 });
    try {
      await this.#writing;
    } finally {
      this.#writing = undefined;
    }
  }

  /** Stops the timer (the cache is closing; `flush` has run or the storage is gone). */
  stop(): void {
    this.#stopTimer();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
