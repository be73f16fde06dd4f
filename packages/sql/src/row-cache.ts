import { LocalTransaction, type KeyValueReader, type Storage } from '@sochdb/core';
import { FULL_SCAN, readBatches, type AccessPath } from './access.js';
import type { KeySpace } from './keys.js';
import type { TableDef } from './schema.js';
import type { Env } from './scope.js';
import type { SqlValue } from './values.js';

type Row = SqlValue[];

interface CachedTable {
  /** The commit LSN the rows were read at. */
  readonly lsn: bigint;
  readonly rows: readonly Row[];
}

/** Row arrays held by a RowCache: shared between queries, never to be changed. */
const sharedArrays = new WeakSet<readonly Row[]>();

/** True for a row array served by a RowCache (the same array for every query at one LSN). */
export function isShared(rows: readonly Row[]): boolean {
  return sharedArrays.has(rows);
}

/**
 * Decoded rows of whole tables, kept so that repeated scans (joins, GROUP BY over a table) skip
 * both the LevelDB iterator and the row decode. Rows are shared with every query that uses them,
 * so query code never writes into a row it did not build (it copies into scratch rows).
 *
 * Never stale, by construction rather than by invalidation messages (which raw key-value writes,
 * other engines and other processes would never send): an entry is the table as of one commit
 * LSN, and a reader may use it only when
 *   - it is an in-process transaction (`LocalTransaction`: the engine's own read snapshot or a
 *     caller's) whose snapshot LSN is that LSN — so the entry shows exactly what its snapshot
 *     shows: nothing committed later, nothing aborted;
 *   - its snapshot is exact (`snapshotExact`: not taken while a commit was being written, when
 *     LevelDB may already hold one more commit than the LSN says);
 *   - it has written nothing yet (`writeCount === 0`), so it has no own writes the entry lacks;
 *   - Storage is still at that LSN, and can read synchronously (an in-process backend: a
 *     RemoteStorage client of concurrent mode, whose LSN is only what it has seen of other
 *     processes' commits, never uses the cache).
 * An entry is only stored when Storage did not move on while it was being read. Any commit, by
 * anyone, moves Storage's LSN and so retires every entry at once.
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

  constructor(
    private readonly storage: Storage,
    readonly maxRows: number,
  ) {}

  /** The LSN `reader` reads at, when it may use (or fill) the cache; undefined when it may not. */
  eligible(reader: KeyValueReader): bigint | undefined {
    if (this.maxRows === 0 || !(reader instanceof LocalTransaction)) return undefined;
    const { storage } = this;
    if (!storage.supports.getSync || storage.status !== 'open') return undefined;
    // An inexact snapshot (taken while a commit was being written) may hold one more commit than
    // its LSN says: it can neither use nor fill entries keyed by that LSN.
    if (reader.state !== 'active' || reader.writeCount !== 0 || !reader.snapshotExact) return undefined;
    const lsn = reader.snapshotLsn;
    return lsn === storage.lsn ? lsn : undefined;
  }

  /** The rows of `table` as `reader` would read them, or undefined (then read the table and `store`). */
  lookup(table: TableDef, reader: KeyValueReader): readonly Row[] | undefined {
    const lsn = this.eligible(reader);
    const entry = lsn === undefined ? undefined : this.#tables.get(table);
    if (entry === undefined || entry.lsn !== lsn) {
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
  store(table: TableDef, lsn: bigint, rows: readonly Row[]): boolean {
    if (this.storage.lsn !== lsn || rows.length > this.maxRows) return false;
    for (const [t, entry] of this.#tables) {
      // Entries of an older LSN can serve no new reader: drop them first.
      if (entry.lsn !== lsn || t === table) this.#drop(t, entry);
    }
    for (const [t, entry] of this.#tables) {
      if (this.#rows + rows.length <= this.maxRows) break;
      this.#drop(t, entry);
    }
    sharedArrays.add(rows);
    this.#tables.set(table, { lsn, rows });
    this.#rows += rows.length;
    return true;
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

/**
 * The rows an access path selects, in batches, as `readBatches` reads them; a whole-table scan
 * is served from `cache` when it can be, and fills it when it runs to the end.
 */
export async function* scanBatches(
  reader: KeyValueReader,
  keys: KeySpace,
  cache: RowCache | undefined,
  table: TableDef,
  path: AccessPath,
  env: Env,
  defaults: readonly SqlValue[],
  needed: readonly boolean[] | undefined,
): AsyncGenerator<{ readonly rows: readonly Row[] }> {
  const lsn = cache && path.kind === 'scan' ? cache.eligible(reader) : undefined;
  if (lsn === undefined) {
    yield* readBatches(reader, keys, table, path, env, defaults, needed);
    return;
  }
  const cached = cache!.lookup(table, reader);
  if (cached) {
    yield { rows: cached };
    return;
  }
  const all: Row[] = [];
  for await (const batch of readBatches(reader, keys, table, path, env, defaults, undefined)) {
    for (const r of batch.rows) all.push(r);
    yield batch;
  }
  // Reached only when the caller read to the end (a LIMIT that stops early stores nothing).
  cache!.store(table, lsn, all);
}

/**
 * Every row of `table`, when `cache` can serve or keep them: the
 * cache's own array (shared, read-only) — also on the read that fills it, so whatever a query
 * builds over the array (a hash table) is reused from the next query on. Undefined when the
 * reader may not use the cache.
 */
export async function loadWholeTable(
  reader: KeyValueReader,
  keys: KeySpace,
  cache: RowCache,
  table: TableDef,
  env: Env,
  defaults: readonly SqlValue[],
): Promise<readonly Row[] | undefined> {
  const lsn = cache.eligible(reader);
  if (lsn === undefined) return undefined;
  const cached = cache.lookup(table, reader);
  if (cached) return cached;
  const all: Row[] = [];
  for await (const batch of readBatches(reader, keys, table, FULL_SCAN, env, defaults, undefined)) {
    for (const r of batch.rows) all.push(r);
  }
  cache.store(table, lsn, all);
  return all;
}
