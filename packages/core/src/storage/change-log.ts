import { compareBytes, toBytes, type BytesLike } from '../bytes.js';
import { ChangeFeedGapError, ValidationError } from '../errors.js';
import type { ChangeBatch, ChangeFeedOptions, CommitChange } from './types.js';

/** Bytes of keys the log holds by default (the oldest commits go first beyond it). */
export const DEFAULT_CHANGE_LOG_BYTES = 16 * 1024 * 1024;
/** Counted per key on top of its bytes: what keeping one more key costs beside them. */
const KEY_OVERHEAD = 16;
const DEFAULT_LIMIT = 10_000;
/** LSNs are unsigned 64-bit (they travel as u64). */
const MAX_LSN = (1n << 64n) - 1n;

interface Logged {
  readonly lsn: bigint;
  /** The commit's keys, copied into one buffer (never views of a caller's larger buffers). */
  readonly bytes: Buffer;
  /** Key i is `bytes[ends[i − 1] ?? 0, ends[i])`. */
  readonly ends: Uint32Array;
  readonly cost: number;
}

/**
 * The recent commits of one Storage, as its commit feed serves them (`Storage.changesAfter`):
 * each commit's LSN and keys, in LSN order, bounded by the bytes of keys held. Reading from an
 * LSN it no longer holds (or one before the storage was opened) is a ChangeFeedGapError, so a
 * consumer never silently misses a commit: it rebuilds from the current data and follows on.
 *
 * Written by hand: the log is a bounded FIFO with a binary search by LSN, which no library
 * makes simpler.
 */
export class ChangeLog {
  #entries: Logged[] = [];
  #head = 0;
  #bytes = 0;
  /** Every commit after this LSN is held. */
  #floor: bigint;
  #last: bigint;

  constructor(
    startLsn: bigint,
    private readonly maxBytes = DEFAULT_CHANGE_LOG_BYTES,
  ) {
    this.#floor = startLsn;
    this.#last = startLsn;
  }

  /** The LSN of the newest commit logged (the storage's LSN at open when none was). */
  get lastLsn(): bigint {
    return this.#last;
  }

  /** Records a commit; called in LSN order, once per applied commit. */
  append(lsn: bigint, keys: readonly Buffer[]): void {
    let size = 0;
    for (const key of keys) size += key.byteLength;
    const cost = size + keys.length * KEY_OVERHEAD;
    this.#last = lsn;
    if (cost > this.maxBytes) {
      // Larger than the whole log: nobody can read across it, so everything before goes too.
      this.#entries = [];
      this.#head = 0;
      this.#bytes = 0;
      this.#floor = lsn;
      return;
    }
    const bytes = Buffer.allocUnsafe(size);
    const ends = new Uint32Array(keys.length);
    let at = 0;
    keys.forEach((key, i) => {
      bytes.set(key, at);
      ends[i] = at += key.byteLength;
    });
    this.#entries.push({ lsn, bytes, ends, cost });
    this.#bytes += cost;
    while (this.#bytes > this.maxBytes) {
      const dropped = this.#entries[this.#head]!;
      this.#entries[this.#head++] = undefined!;
      this.#bytes -= dropped.cost;
      this.#floor = dropped.lsn;
    }
    if (this.#head >= 1024 && this.#head * 2 >= this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Commits after `afterLsn` (see Storage.changesAfter). */
  read(afterLsn: bigint, options: ChangeFeedOptions = {}): ChangeBatch {
    const { after, gte, lt, limit, maxBytes } = requireChangeFeedArguments(afterLsn, options);
    if (after === this.#last) return { commits: [], lsn: after, more: false };
    if (after < this.#floor || after > this.#last) {
      throw new ChangeFeedGapError(
        after > this.#last
          ? `the commit feed has no LSN ${after}: the newest commit is ${this.#last} (the database was restored or replaced)`
          : `the commit feed no longer holds the commits after LSN ${after}: it keeps the most recent ones (from LSN ${this.#floor + 1n})`,
        { remediation: 'Reload what you keep in memory from the current data, then follow the feed from the LSN you read at.' },
      );
    }
    const commits: CommitChange[] = [];
    let bytes = 0;
    let through = after;
    for (let i = this.#firstAfter(after); i < this.#entries.length; i++) {
      const entry = this.#entries[i]!;
      const keys: Buffer[] = [];
      let size = 0;
      let start = 0;
      for (const end of entry.ends) {
        const key = entry.bytes.subarray(start, end);
        start = end;
        if ((gte && compareBytes(key, gte) < 0) || (lt && compareBytes(key, lt) >= 0)) continue;
        keys.push(key);
        size += key.byteLength + KEY_OVERHEAD;
      }
      if (keys.length > 0) {
        if (commits.length >= limit) break;
        if (bytes + size > maxBytes) {
          if (commits.length > 0) break;
          throw new ChangeFeedGapError(`commit ${entry.lsn} wrote ${keys.length} keys, more than one read of the commit feed may carry (${maxBytes} bytes)`, {
            remediation: 'Reload what you keep in memory from the current data, then follow the feed from the LSN you read at.',
          });
        }
        bytes += size;
        commits.push({ lsn: entry.lsn, keys });
      }
      through = entry.lsn;
    }
    return { commits, lsn: through, more: through < this.#last };
  }

  /** Index of the first held commit with an LSN above `lsn`. */
  #firstAfter(lsn: bigint): number {
    let lo = this.#head;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#entries[mid]!.lsn <= lsn) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** `changesAfter`'s arguments checked and normalized; every Storage and client of the feed uses it. */
export function requireChangeFeedArguments(afterLsn: bigint, options: ChangeFeedOptions = {}) {
  if (typeof afterLsn !== 'bigint' || afterLsn < 0n || afterLsn > MAX_LSN) {
    throw new ValidationError(`changesAfter takes an LSN as a non-negative bigint, got ${String(afterLsn)}`, {
      field: 'afterLsn',
      remediation: 'Pass the LSN you last read at, e.g. 0n.',
    });
  }
  if (options === null || typeof options !== 'object') throw new ValidationError('changesAfter options must be an object', { field: 'options' });
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError(`limit must be a positive integer, got ${String(limit)}`, { field: 'limit' });
  const maxBytes = options.maxBytes ?? Infinity;
  if (maxBytes !== Infinity && (!Number.isInteger(maxBytes) || maxBytes < 1)) {
    throw new ValidationError(`maxBytes must be a positive integer, got ${String(maxBytes)}`, { field: 'maxBytes' });
  }
  const bound = (value: BytesLike | undefined, field: string) => (value === undefined ? undefined : Buffer.from(toBytes(value, field)));
  return { after: afterLsn, gte: bound(options.gte, 'gte'), lt: bound(options.lt, 'lt'), limit, maxBytes };
}
