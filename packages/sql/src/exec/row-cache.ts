import { bytesEqual, compareBytes, keyRange, LocalTransaction, type AppliedCommit, type KeyValueReader, type Storage } from '@sochdb/core';
import { applyRowWrites, type PatchedRows, type RowWrite } from './row-cache-patch.js';
import { decodeRow } from '../schema/row-codec.js';
import type { KeySpace } from '../schema/keys.js';
import { nameKey, type TableDef } from '../schema/schema.js';
import type { SqlValue } from '../values/values.js';

type Row = SqlValue[];

interface CachedTable {
  /** The commit LSN `rows` are the table as of. */
  readonly lsn: bigint;
  readonly rows: readonly Row[];
  /** The row key of each of `rows` (key order): where a later commit's writes go. */
  readonly keys: readonly Buffer[];
  /** Decodes a stored row as the scan that filled the entry did (the table's width and defaults). */
  readonly decode: (value: Buffer) => Row;
  /** Commits after `lsn` that wrote rows of the table, in LSN order, applied at the next lookup. */
  readonly pending: readonly { readonly lsn: bigint; readonly writes: readonly RowWrite[] }[];
  readonly pendingWrites: number;
  /** The table's row keys, and its definition's key (a commit writing it drops the entry). */
  readonly rowKeys: { readonly gte: Buffer; readonly lt: Buffer };
  readonly definition: Buffer;
}

/**
 * Row writes an entry may collect before it is dropped instead: past this, re-reading the table
 * costs about as much as applying them, and the pending values would hold memory.
 */
function pendingLimit(rows: number): number {
  return Math.max(64, rows >>> 3);
}

/**
 * Rows a table's searches read from storage before the table is first loaded whole for them
 * (ten searches of a hundred rows): a table searched only a few times is never loaded.
 */
const FIRST_LOAD_AFTER = 1024;

/** Row arrays held by a RowCache: shared between queries, never to be changed. */
const sharedArrays = new WeakSet<readonly Row[]>();

/** True for a row array served by a RowCache (the same array for every query at one LSN). */
export function isShared(rows: readonly Row[]): boolean {
  return sharedArrays.has(rows);
}

/** How a shared row array was made from the previous one of its table: the rows it lost and gained. */
export interface RowDerivation {
  readonly from: readonly Row[];
  readonly removed: readonly Row[];
  readonly added: readonly Row[];
}

// One step deep: a catch-up forgets how its source array was made, so a chain of catch-ups keeps
// at most the previous array alive, not every one before it.
const derivations = new WeakMap<readonly Row[], RowDerivation>();
/** The row key of each row of a shared array, so that what is built over the rows can be kept in key order. */
const rowKeys = new WeakMap<Row, Buffer>();

/**
 * How `rows` (a shared array) came from the array before it, when a commit's writes were applied
 * to that one: what is built over the rows (a hash table) can then be patched, not rebuilt.
 */
export function derivationOf(rows: readonly Row[]): RowDerivation | undefined {
  return derivations.get(rows);
}

/** The row key a row of a shared array is stored under (undefined for any other row). */
export function rowKeyOf(row: Row): Buffer | undefined {
  return rowKeys.get(row);
}

/**
 * In `rows` (rows of shared arrays, in key order), the first whose key is at or after `bound`:
 * where a search starts, or where a row with key `bound` goes. Undefined when a row's key is unknown.
 */
export function rowKeyPosition(rows: readonly Row[], bound: Uint8Array): number | undefined {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = rowKeys.get(rows[mid]!);
    if (k === undefined) return undefined;
    if (compareBytes(k, bound) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Decoded rows of whole tables, kept so that repeated scans (joins, GROUP BY over a table) and
 * searches (by index or key range: cached-ranges.ts) skip both the LevelDB iterator and the row
 * decode. Rows are shared with every query that uses them,
 * so query code never writes into a row it did not build (it copies into scratch rows).
 *
 * Never stale, by construction: an entry is the table as of one commit LSN, read by an
 * in-process transaction (`LocalTransaction`: the engine's own read snapshot or a caller's) whose
 * snapshot was exact (`snapshotExact`: not taken while a commit was being written, when LevelDB
 * may already hold one more commit than the LSN says) and which had written nothing, and it is
 * only stored if Storage had not moved on by the end of the read. From then on:
 *   - Over a Storage that reports its commits (`onCommit`: LevelDB and memory), every commit,
 *     from anyone (another engine, raw key-value writes, any package's transaction), that writes
 *     row keys of its table is recorded in the entry with its LSN and values, and applied to a
 *     copy of the rows at the next lookup by a reader whose snapshot includes it (row-cache-patch.ts),
 *     so a write of a few rows does not cost a re-read of the whole table. A reader whose
 *     snapshot lies between the entry's LSN and a recorded commit is not served. A commit that
 *     writes the table's definition, or too many rows, drops the entry. Writes to other tables
 *     and keys keep it as it is.
 *   - Otherwise, every commit retires every entry (a reader may use an entry only while Storage
 *     is still at the entry's LSN).
 * A RemoteStorage client of concurrent mode (no synchronous reads; its LSN is only what it has
 * seen of other processes' commits) never uses the cache.
 *
 * Rows are kept with every column decoded, so one read of a table serves every later query shape
 * (decoding only the columns of the first query measured no faster, and made the next query that
 * reads another column read the table again). Bounded by a total row count; the least recently
 * used tables go first.
 */
export class RowCache {
  readonly #tables = new Map<TableDef, CachedTable>();
  #rows = 0;
  #hits = 0;
  #misses = 0;
  /** Per table: rows its searches read from storage since it was last loaded or caught up, and how many make that due. */
  readonly #searchReads = new WeakMap<TableDef, { rows: number; due: number }>();
  /** Whether entries are dropped per table by `onCommit` (else any commit retires all). */
  readonly #perTable: boolean;

  constructor(
    private readonly storage: Storage,
    readonly maxRows: number,
  ) {
    this.#perTable = maxRows > 0 && typeof storage.onCommit === 'function';
    if (this.#perTable) {
      // Storage holds the listener; the listener holds the cache only weakly, so an engine that
      // is dropped is collected, and its listener unsubscribes at the next commit.
      const ref = new WeakRef(this);
      const off = storage.onCommit!((commit) => {
        const cache = ref.deref();
        if (cache) cache.#onCommit(commit);
        else off();
      });
    }
  }

  /** The LSN `reader` reads at, when it may use (or fill) the cache; undefined when it may not. */
  eligible(reader: KeyValueReader): bigint | undefined {
    if (this.maxRows === 0 || !(reader instanceof LocalTransaction)) return undefined;
    const { storage } = this;
    if (!storage.supports.getSync || storage.status !== 'open') return undefined;
    if (reader.state !== 'active' || reader.writeCount !== 0 || !reader.snapshotExact) return undefined;
    const lsn = reader.snapshotLsn;
    return this.#perTable || lsn === storage.lsn ? lsn : undefined;
  }

  /**
   * The rows of `table` as `reader` would read them, or undefined (then read the table and
   * `store`). Applying recorded commits costs a copy of the table's arrays: `mayCatchUp` false
   * leaves them recorded and answers undefined instead (a search that storage answers cheaply).
   */
  lookup(table: TableDef, reader: KeyValueReader, mayCatchUp = true): readonly Row[] | undefined {
    const lsn = this.eligible(reader);
    let entry = lsn === undefined ? undefined : this.#tables.get(table);
    if (entry !== undefined && entry.pending.length > 0 && entry.pending[entry.pending.length - 1]!.lsn <= lsn!)
      entry = mayCatchUp ? this.#catchUp(table, entry) : undefined;
    // Usable when the reader's snapshot shows the entry's LSN and no recorded commit after it.
    const usable =
      entry !== undefined && (this.#perTable ? entry.lsn <= lsn! && (entry.pending.length === 0 || entry.pending[0]!.lsn > lsn!) : entry.lsn === lsn);
    if (!usable || entry === undefined) {
      if (lsn !== undefined) this.#misses++;
      return undefined;
    }
    // Most recently used last, so eviction takes the first.
    this.#tables.delete(table);
    this.#tables.set(table, entry);
    this.#hits++;
    return entry.rows;
  }

  /**
   * Keeps the whole-table rows read at `lsn` (every column decoded), unless Storage has moved on
   * or they do not fit. True when kept: the array is then shared and must not change.
   */
  store(table: TableDef, lsn: bigint, rows: readonly Row[], rowKeys_: readonly Buffer[], defaults: readonly SqlValue[], keys: KeySpace): boolean {
    if (this.storage.lsn !== lsn || rows.length > this.maxRows) return false;
    for (const [t, entry] of this.#tables) {
      // Without per-table tracking, entries of an older LSN can serve no new reader: drop them first.
      if (t === table || (!this.#perTable && entry.lsn !== lsn)) this.#drop(t, entry);
    }
    for (const [t, entry] of this.#tables) {
      if (this.#rows + rows.length <= this.maxRows) break;
      this.#drop(t, entry);
    }
    sharedArrays.add(rows);
    for (let i = 0; i < rows.length; i++) rowKeys.set(rows[i]!, rowKeys_[i]!);
    const name = nameKey(table.name);
    const width = table.columns.length;
    this.#tables.set(table, {
      lsn,
      rows,
      keys: rowKeys_,
      decode: (value) => decodeRow(value, width, defaults),
      pending: [],
      pendingWrites: 0,
      rowKeys: keyRange(keys.rowPrefix(name)),
      definition: keys.table(name),
    });
    this.#rows += rows.length;
    this.#searchServed(table, rows.length);
    return true;
  }

  /**
   * Records rows that a search of `table` (by index or key range) read from storage because the
   * cache could not serve it: enough of them pay for loading the whole table or applying its
   * recorded commits, which `searchDue` then says.
   */
  searchedStorage(table: TableDef, rows: number): void {
    const reads = this.#searchReads.get(table);
    if (reads === undefined) this.#searchReads.set(table, { rows, due: FIRST_LOAD_AFTER });
    else reads.rows += rows;
  }

  /** Whether searches of `table` have read enough from storage to load it whole or catch it up (see searchedStorage). */
  searchDue(table: TableDef): boolean {
    const reads = this.#searchReads.get(table);
    return reads !== undefined && reads.rows >= reads.due;
  }

  /**
   * A load of `table` for searches read `rows` rows and kept none (the table outgrew the cache,
   * or a commit landed meanwhile): the next attempt waits for at least as many rows read by
   * searches, and twice as many as the last wait, so failed loads cost at most what searches do.
   */
  loadFailed(table: TableDef, rows: number): void {
    const reads = this.#searchReads.get(table);
    this.#searchReads.set(table, { rows: 0, due: Math.max(2 * (reads?.due ?? FIRST_LOAD_AFTER), rows) });
  }

  /** A load or catch-up of `table` with `rows` rows: the next one waits for an eighth of that in storage reads. */
  #searchServed(table: TableDef, rows: number): void {
    this.#searchReads.set(table, { rows: 0, due: Math.max(FIRST_LOAD_AFTER, rows >>> 3) });
  }

  /** Records this commit's row writes in the entries of their tables; drops those whose definition it wrote. */
  #onCommit(commit: AppliedCommit): void {
    if (this.#tables.size === 0) return;
    for (const [table, entry] of this.#tables) {
      const { gte, lt } = entry.rowKeys;
      let writes: RowWrite[] | undefined;
      let redefined = false;
      for (const { key, value } of commit.ops) {
        if (bytesEqual(key, entry.definition)) {
          redefined = true;
          break;
        }
        if (compareBytes(key, gte) >= 0 && compareBytes(key, lt) < 0) (writes ??= []).push({ key, value });
      }
      if (!redefined && writes === undefined) continue;
      const pendingWrites = entry.pendingWrites + (writes?.length ?? 0);
      if (redefined || pendingWrites > pendingLimit(entry.rows.length)) this.#drop(table, entry);
      else this.#tables.set(table, { ...entry, pending: [...entry.pending, { lsn: commit.lsn, writes: writes! }], pendingWrites });
    }
  }

  /**
   * Applies an entry's recorded commits to new arrays (queries may still hold the old ones), or
   * drops it when a recorded value is not a row this table can decode (a raw write) or the table
   * outgrew the cache.
   */
  #catchUp(table: TableDef, entry: CachedTable): CachedTable | undefined {
    let next: PatchedRows;
    try {
      next = applyRowWrites(
        entry,
        entry.pending.flatMap((commit) => commit.writes),
        entry.decode,
      );
    } catch {
      this.#drop(table, entry);
      return undefined;
    }
    this.#drop(table, entry);
    if (this.#rows + next.rows.length > this.maxRows) {
      if (next.rows.length > this.maxRows) return undefined;
      for (const [t, other] of this.#tables) {
        if (this.#rows + next.rows.length <= this.maxRows) break;
        this.#drop(t, other);
      }
    }
    sharedArrays.add(next.rows);
    next.added.forEach((row, i) => rowKeys.set(row, next.addedKeys[i]!));
    derivations.delete(entry.rows);
    derivations.set(next.rows, { from: entry.rows, removed: next.removed, added: next.added });
    const caughtUp: CachedTable = {
      ...entry,
      lsn: entry.pending[entry.pending.length - 1]!.lsn,
      rows: next.rows,
      keys: next.keys,
      pending: [],
      pendingWrites: 0,
    };
    this.#tables.set(table, caughtUp);
    this.#rows += next.rows.length;
    this.#searchServed(table, next.rows.length);
    return caughtUp;
  }

  /** Counters for tests and tuning. */
  stats(): { readonly hits: number; readonly misses: number; readonly tables: number; readonly rows: number } {
    return { hits: this.#hits, misses: this.#misses, tables: this.#tables.size, rows: this.#rows };
  }

  #drop(table: TableDef, entry: CachedTable): void {
    this.#tables.delete(table);
    this.#rows -= entry.rows.length;
  }
}
