import type { KeyValueReader, KeyValueStore, Transaction } from '@sochdb/core';
import type { Catalog } from '../schema/catalog.js';
import type { KeySpace } from '../schema/keys.js';
import type { RowCache } from '../exec/row-cache.js';
import type { SubqueryEntry } from '../plan/plan-types.js';
import type { Runtime } from '../expr/scope.js';
import type { SqlTriggers } from '../write/triggers.js';
import type { SqlValue } from '../values/values.js';
import type { StatementWrites } from '../write/writes.js';

export interface StatementResult {
  readonly rows: readonly (readonly SqlValue[])[];
  readonly columns: readonly string[];
  readonly rowsAffected: number;
  readonly lastInsertRowid: bigint | undefined;
}

/** What running one compiled statement needs. */
export interface ExecContext {
  readonly keys: KeySpace;
  readonly catalog: Catalog;
  /** The transaction the statement runs in (the caller's or its own). */
  readonly txn: Transaction;
  /** Reads and buffered writes of this statement, over `txn`. */
  readonly writes: StatementWrites;
  readonly base: KeyValueStore;
  readonly triggers: SqlTriggers | undefined;
  readonly rt: Runtime;
  /** Next rowid per table for `txn` (see table-writer). */
  readonly rowids: Map<string, bigint>;
  /** The Storage itself (committed data). */
  readonly committed: KeyValueReader;
  /** Whole-table rows shared between statements (undefined when turned off). */
  readonly rowCache: RowCache | undefined;
}

/** A compiled statement, cached by SQL text until the schema changes. */
export interface Executable {
  /** 'read' statements need no write transaction. */
  readonly kind: 'read' | 'write' | 'ddl';
  readonly subqueries: readonly SubqueryEntry[];
  run(ec: ExecContext): Promise<StatementResult>;
  /** The chosen plan, one line per step (EXPLAIN). */
  explain(): string[];
}

export const EMPTY_RESULT: StatementResult = { rows: [], columns: [], rowsAffected: 0, lastInsertRowid: undefined };
