import { toBytes, type BytesLike } from '../bytes.js';
import { ChangeFeedGapError } from '../errors.js';
import { AbstractStorage } from './abstract-storage.js';
import type { CommitChange, Storage } from './types.js';

/** What a cache that follows the commit feed does with what it learns. */
export interface FollowHandlers {
  /**
   * Commits that wrote keys of the followed range, in LSN order. Re-read those keys and apply the
   * current values: the feed carries keys only, and by the time they are read a later commit may
   * have changed them again (which the next batch reports, so applying must be idempotent).
   */
  apply(commits: readonly CommitChange[]): Promise<void>;
  /** The feed has a gap (the cache fell too far behind): reload everything from the current data. */
  reload(): Promise<void>;
}

const RESOLVED = Promise.resolve();

/**
 * Keeps an in-memory cache in step with every commit to a key range, whoever made it: `catchUp()`
 * reads the storage's commit feed from the last LSN applied and hands the commits to `apply`, or
 * calls `reload` when the feed cannot serve them. Rounds run one at a time; a call made while a
 * round runs waits for a new round that starts after it, so a caller that calls `catchUp()` after
 * another process's commit returned sees that commit (read-your-writes across processes).
 *
 * @example
 * ```ts
 * const range = keyRange(['users']);
 * const startLsn = await storage.latestLsn(); // read before loading the cache
 * const cache = new Map<string, Buffer | undefined>();
 * const load = async () => { cache.clear(); for await (const [k, v] of storage.iterator(range)) cache.set(k.toString('hex'), v); };
 * await load();
 * const follower = new CommitFollower(storage, range, {
 *   apply: async (commits) => { for (const key of commits.flatMap((c) => c.keys)) cache.set(key.toString('hex'), await storage.get(key)); },
 *   reload: load,
 * }, startLsn);
 * await follower.catchUp(); // before answering from the cache
 * ```
 */
export class CommitFollower {
  #cursor: bigint;
  /** A round queued but not started: every caller until it starts shares it. */
  #queued: Promise<void> | undefined;
  /** The last round, settled or not; never rejects (a new round only waits for it). */
  #tail: Promise<void> = RESOLVED;
  readonly #gte: Buffer | undefined;
  readonly #lt: Buffer | undefined;

  /**
   * `startLsn`: the LSN read with `storage.latestLsn()` before the cache was loaded; the cache
   * already reflects every commit up to it (and maybe later ones: applying is idempotent).
   */
  constructor(
    private readonly storage: Storage,
    range: { readonly gte?: BytesLike; readonly lt?: BytesLike },
    private readonly handlers: FollowHandlers,
    startLsn: bigint,
  ) {
    this.#cursor = startLsn;
    this.#gte = range.gte === undefined ? undefined : Buffer.from(toBytes(range.gte, 'gte'));
    this.#lt = range.lt === undefined ? undefined : Buffer.from(toBytes(range.lt, 'lt'));
  }

  /** The LSN through which every commit has been applied. */
  get lsn(): bigint {
    return this.#cursor;
  }

  /** Resolves once every commit made before the call is applied to the cache. */
  catchUp(): Promise<void> {
    // A storage in this process knows its newest LSN synchronously: nothing new, nothing to do.
    if (!this.#queued && this.storage instanceof AbstractStorage && this.storage.lsn === this.#cursor) return this.#tail;
    if (!this.#queued) {
      const previous = this.#tail;
      const round = (async () => {
        await previous;
        this.#queued = undefined;
        await this.#round();
      })();
      this.#queued = round;
      this.#tail = round.catch(() => undefined);
    }
    return this.#queued;
  }

  async #round(): Promise<void> {
    for (;;) {
      let batch;
      try {
        batch = await this.storage.changesAfter(this.#cursor, { ...(this.#gte && { gte: this.#gte }), ...(this.#lt && { lt: this.#lt }) });
      } catch (error) {
        if (!(error instanceof ChangeFeedGapError)) throw error;
        const lsn = await this.storage.latestLsn();
        await this.handlers.reload();
        this.#cursor = lsn;
        continue;
      }
      if (batch.commits.length > 0) await this.handlers.apply(batch.commits);
      this.#cursor = batch.lsn;
      if (!batch.more) return;
    }
  }
}
