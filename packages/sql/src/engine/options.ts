import type { TransactionLike } from '@sochdb/core';
import type { SqlTriggers } from '../write/triggers.js';
import { DEFAULT_RECURSIVE_ROWS } from '../plan/recursive-cte.js';

/**
 * What `new SqlEngine(storage, options)` takes.
 *
 * @example
 * ```ts
 * // Two engines on one Storage, each with its own tables; a smaller row cache, and a tighter IN limit.
 * const billing = new SqlEngine(storage, { namespace: 'billing', rowCacheRows: 10_000, limits: { inListItems: 1_000 } });
 * const crm = new SqlEngine(storage, { namespace: 'crm' });
 * ```
 */
export interface SqlEngineOptions {
  /** Keeps several engines apart on one Storage (default 'default'). */
  readonly namespace?: string;
  /** Row-change hooks (plugins); see SqlTriggers. */
  readonly triggers?: SqlTriggers;
  /** Parsed and compiled statements kept for reuse (default 500). */
  readonly statementCacheSize?: number;
  /** Re-runs of a statement that lost a write-write conflict, outside a caller's transaction (default 3). */
  readonly retries?: number;
  /**
   * Decoded rows of whole tables kept between queries, at most this many rows in all (default
   * 250,000; 0 turns the cache off): scans, joins and index searches of a kept table read memory.
   * See RowCache for why an entry is never stale.
   */
  readonly rowCacheRows?: number;
  /** Input limits, after SQLite's SQLITE_MAX_*; a statement beyond one is a QueryError before any work. */
  readonly limits?: SqlLimits;
}

/** See "Limits" in the README. */
export interface SqlLimits {
  /** Characters in one execute() call's SQL text (default 10,000,000; bind large values as parameters). */
  readonly sqlLength?: number;
  /** Items in one `IN (…)` list (default 100,000; larger sets belong in a table). */
  readonly inListItems?: number;
  /** Rows one recursive CTE may produce before it is stopped with a QueryError (default 1,000,000). */
  readonly recursiveRows?: number;
}

export const DEFAULT_LIMITS = { sqlLength: 10_000_000, inListItems: 100_000, recursiveRows: DEFAULT_RECURSIVE_ROWS } as const;

/** Statements longer than this are not kept in the statement cache (they are ad hoc, and large). */
export const CACHEABLE_SQL_LENGTH = 64 * 1024;

/**
 * The last argument of `execute`.
 *
 * @example
 * ```ts
 * // Every INTEGER as a bigint, so 1 (INTEGER) and 1.0 (REAL) stay apart; read inside a transaction.
 * const { rows } = await sql.execute('SELECT 1 AS i, 1.0 AS r', [], { safeIntegers: true, txn }); // [{ i: 1n, r: 1 }]
 * ```
 */
export interface ExecuteOptions {
  /** 'object' (default): rows are { column: value }; 'array': values in column order. */
  readonly rowMode?: 'object' | 'array';
  /** Run inside this transaction (a core one, or the SDK's DatabaseTransaction): reads see it, writes commit or abort with it. */
  readonly txn?: TransactionLike;
  /** Every INTEGER comes back as a bigint (better-sqlite3's safeIntegers), so INTEGER and REAL stay apart. */
  readonly safeIntegers?: boolean;
}
