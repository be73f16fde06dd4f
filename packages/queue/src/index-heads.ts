import { ChangeFeedGapError, compareBytes, decodeKey, keyRange, type Storage } from '@sochdb/core';
import { readyRange } from './order-index.js';
import { queueKeys } from './records.js';

/** Commits of the feed read per call while catching up; a longer gap re-reads the ranges instead. */
const FEED_LIMIT = 4_096;

/** Lower bounds of a queue's two index ranges, both valid as of `lsn`. */
export interface Heads {
  /** No ready key sorts before this one. */
  readonly ready: Buffer;
  /** No timer key sorts before this one. */
  readonly timer: Buffer;
}

/**
 * Where a shared-mode dequeue starts reading the order index. Every claim deletes a ready key and
 * every ack a timer key, and LevelDB keeps deleted keys as tombstones until compaction, which a
 * read skips one by one — and LevelDB has no upper bound for that skip, so even a read of the
 * due timers (all before `now`) walks the tombstones of every lease acked since the last
 * compaction. After a few thousand tasks that costs more than the rest of the dequeue.
 *
 * So this remembers, per range, "as of LSN `lsn` no key sorts before `key`". Only a later commit
 * can put a key before it — a new task, a promoted delay, a nacked task keeping its place, a new
 * lease — and the commit feed names the keys of every later commit, whoever made it, so the bound
 * is lowered to the least of them before each use (lowering only weakens a bound, so it stays
 * true at every LSN in between). A timer bound later than `now` means nothing is due: the
 * dequeue skips that read entirely. When the feed cannot answer (a gap, too many commits) the
 * ranges are read from their start again.
 */
export class IndexHeads {
  #known: (Heads & { readonly lsn: bigint }) | undefined;
  readonly #ready: { readonly gte: Buffer; readonly lt: Buffer };
  readonly #timer: { readonly gte: Buffer; readonly lt: Buffer };

  constructor(
    private readonly storage: Storage,
    queue: string,
  ) {
    this.#ready = readyRange(queue);
    this.#timer = keyRange(queueKeys.timerPrefix(queue));
  }

  /**
   * Bounds valid for the snapshot of a transaction. `snapshotLsn` is asked after the feed is read:
   * a remote transaction learns it from its BEGIN reply, and reading the feed meanwhile saves a
   * round trip. The feed is read through at least that LSN (commits after it only lower a bound).
   */
  async at(snapshotLsn: () => bigint): Promise<Heads> {
    const start: Heads = { ready: this.#ready.gte, timer: this.#timer.gte };
    const known = this.#known;
    if (known === undefined) return start; // reads of this snapshot teach the bounds (learned)
    let { ready, timer } = known;
    // One feed read covers both ranges (and the state keys between them, skipped here).
    const gte = compareBytes(this.#ready.gte, this.#timer.gte) < 0 ? this.#ready.gte : this.#timer.gte;
    const lt = compareBytes(this.#ready.lt, this.#timer.lt) > 0 ? this.#ready.lt : this.#timer.lt;
    let covered = known.lsn;
    try {
      for (;;) {
        const batch = await this.storage.changesAfter(covered, { gte, lt, limit: FEED_LIMIT });
        for (const commit of batch.commits) {
          for (const key of commit.keys) {
            if (within(key, this.#ready) && compareBytes(key, ready) < 0) ready = key;
            else if (within(key, this.#timer) && compareBytes(key, timer) < 0) timer = key;
          }
        }
        const progressed = batch.lsn > covered;
        if (progressed) covered = batch.lsn;
        if (!progressed || (!batch.more && covered >= snapshotLsn())) break;
      }
    } catch (error) {
      if (!(error instanceof ChangeFeedGapError)) throw error;
      this.#known = undefined;
      return start;
    }
    const lsn = snapshotLsn();
    // A snapshot older than the bounds, or one whose LSN is still unknown: read from the start.
    if (lsn === 0n || lsn < known.lsn || lsn > covered) return start;
    this.#known = { ready, timer, lsn };
    return { ready, timer };
  }

  /** What reads of a snapshot at `snapshotLsn` found: the least key each range can hold. */
  learned(snapshotLsn: bigint, found: Partial<Heads>): void {
    const known = this.#known;
    if (known === undefined) {
      // The range starts bound every range at every LSN: what a read found may only raise them.
      this.#known = { ready: found.ready ?? this.#ready.gte, timer: found.timer ?? this.#timer.gte, lsn: snapshotLsn };
      return;
    }
    if (known.lsn !== snapshotLsn) return; // bounds from another snapshot: keep those
    this.#known = { ready: found.ready ?? known.ready, timer: found.timer ?? known.timer, lsn: snapshotLsn };
  }

  /**
   * When the first timer (a delay's end, a lease's expiry) comes due as far as the bounds know:
   * undefined when they know nothing yet, Infinity when there is no timer. Commits after the
   * bounds' LSN may add an earlier one: a waiter watches the queue's keys for those.
   */
  nextDueAt(): number | undefined {
    const known = this.#known;
    if (known === undefined) return undefined;
    if (compareBytes(known.timer, this.#timer.lt) >= 0) return Infinity;
    const at = IndexHeads.visibleAt(known.timer);
    return at === -Infinity ? undefined : at;
  }

  /** The visibleAt of a timer key; -Infinity for the range start (anything may be due). */
  static visibleAt(timerKey: Buffer): number {
    // A bound may be a range's end (a tuple followed by core's 0xff end byte): read the tuple.
    const parts = decodeKey(timerKey[timerKey.length - 1] === 0xff ? timerKey.subarray(0, -1) : timerKey);
    const at = parts[3];
    return typeof at === 'number' ? at : -Infinity;
  }
}

function within(key: Buffer, range: { readonly gte: Buffer; readonly lt: Buffer }): boolean {
  return compareBytes(key, range.gte) >= 0 && compareBytes(key, range.lt) < 0;
}
