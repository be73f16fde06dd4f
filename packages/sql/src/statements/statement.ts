import type { KeyValueReader, KeyValueStore, Transaction } from '@sochdb/core';
import type { Catalog } from '../schema/catalog.js';
import type { KeySpace } from '../schema/keys.js';
import type { RowCache } from '../exec/row-cache.js';
import type { Statement } from '../parse/index.js';
import type { CompileContext, SubqueryEntry } from '../plan/plan-types.js';
import type { TableDef } from '../schema/schema.js';
import type { DmlContext } from '../write/dml-context.js';
import type { RowTriggers } from '../write/row-triggers.js';
import type { Runtime } from '../expr/scope.js';
import type { SqlTriggers } from '../write/triggers.js';
import type { SqlValue } from '../values/values.js';
import type { StatementWrites } from '../write/writes.js';

export interface StatementResult {
  readonly rows: readonly (readonly SqlValue[])[];
  readonly columns: readonly string[];
  readonly rowsAffected: number;
  readonly lastInsertRowid: bigint | undefined;
  /**
   * RAISE(FAIL): the statement failed but keeps the rows it changed before the failure (its
   * writes were handed over); the caller throws this once they are (after the commit, outside a
   * transaction).
   */
  readonly error?: Error;
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
  /** The engine's settings and SQL trigger support (absent: no SQL triggers fire, foreign keys on). */
  readonly env?: StatementEnv | undefined;
  /** Set for a statement of a trigger program (see trigger-run.ts). */
  readonly frame?: TriggerFrame | undefined;
}

/** What an engine gives every statement it runs. */
export interface StatementEnv {
  /** PRAGMA foreign_keys (per engine; on by default here, see pragma.ts). */
  readonly foreignKeys: boolean;
  /** How the engine compiles a statement against a catalog (trigger programs compile with it). */
  readonly compileContext: (catalog: Catalog, txn: Transaction) => CompileContext;
  /** The statement compiler (compile.ts), for trigger programs. */
  readonly compile: (statement: Statement, ctx: CompileContext) => Executable;
  /** The SQL triggers a statement's writes fire (undefined when the schema has none). */
  readonly rowTriggers: (ec: ExecContext, dc: DmlContext) => RowTriggers | undefined;
}

/** A trigger program's statement: what it shares with the statement whose row fired it. */
export interface TriggerFrame {
  /** Names (lower-cased) of the triggers running in this chain: with recursive_triggers off (SQLite's default) none fires again. */
  readonly active: ReadonlySet<string>;
  /** The outermost statement's FK checks, plugin AFTER hooks and AUTOINCREMENT tables. */
  readonly deferred: (() => Promise<void>)[];
  readonly afterTriggers: (() => Promise<void>)[];
  readonly sequences: Set<TableDef>;
}

/** A compiled statement, cached by SQL text until the schema changes. */
export interface Executable {
  /** 'read' statements need no write transaction. */
  readonly kind: 'read' | 'write' | 'ddl';
  readonly subqueries: readonly SubqueryEntry[];
  /** The result columns, known once compiled (a prepared statement's columns() reads them before any run). */
  readonly columns?: readonly string[];
  run(ec: ExecContext): Promise<StatementResult>;
  /** The chosen plan, one line per step (EXPLAIN). */
  explain(): string[];
}

export const EMPTY_RESULT: StatementResult = { rows: [], columns: [], rowsAffected: 0, lastInsertRowid: undefined };
