import type { KeyValueReader } from '@sochdb/core';
import type { Runtime } from '../expr/scope.js';
import type { KeySpace } from '../schema/keys.js';
import type { TableDef } from '../schema/schema.js';
import type { SqlValue } from '../values/values.js';
import type { RowTriggers } from './row-triggers.js';
import type { SqlTriggers } from './triggers.js';
import type { StatementWrites } from './writes.js';

// What the row writers (table-writer.ts, insert-row-sync.ts, foreign-keys.ts) share.

/** What to do when a row collides with an existing one on the primary key or a UNIQUE index. */
export type ConflictMode =
  'ABORT' | 'IGNORE' | 'REPLACE' | { readonly update: (existingKey: Buffer, existing: SqlValue[], excluded: SqlValue[]) => Promise<void> };

/** Everything a row change needs; one per statement execution. */
export interface DmlContext {
  readonly keys: KeySpace;
  readonly writes: StatementWrites;
  readonly table: (name: string) => TableDef | undefined;
  readonly allTables: () => readonly TableDef[];
  readonly triggers: SqlTriggers | undefined;
  readonly rt: Runtime;
  /** Foreign-key checks, run when every row of the statement is written (as SQLite does). */
  readonly deferred: (() => Promise<void>)[];
  /**
   * AFTER hooks, run once every row has passed its BEFORE hooks and constraints and the deferred
   * checks, so an in-process hook never observes a row of a statement that then fails.
   */
  readonly afterTriggers: (() => Promise<void>)[];
  /** Next rowid per table, kept for the whole transaction. */
  readonly rowids: Map<string, bigint>;
  /** Committed data, read outside the transaction only to find the highest rowid. */
  readonly committed: KeyValueReader;
  /** RETURNING: called with each inserted or updated row's final values (not for rows REPLACE removes). */
  readonly onRow: ((values: readonly SqlValue[]) => void) | undefined;
  /** AUTOINCREMENT tables this statement inserted into: their sequence is written when it completes. */
  readonly sequences: Set<TableDef>;
  /** SQL triggers (CREATE TRIGGER); undefined when the schema has none. */
  readonly sqlTriggers?: RowTriggers | undefined;
  /**
   * A statement of a trigger program: `deferred`, `afterTriggers` and `sequences` are the
   * outermost statement's, which runs them when all of it is done.
   */
  readonly nested?: boolean;
  /** PRAGMA foreign_keys: false skips the FOREIGN KEY checks. */
  readonly foreignKeys?: boolean;
}

export const tableKey = (t: TableDef): string => t.name.toLowerCase();

/** `t.a, t.b`, as constraint errors name columns. */
export function describeColumns(table: TableDef, cols: readonly number[]): string {
  return cols.map((c) => `${table.name}.${table.columns[c]!.name}`).join(', ');
}
