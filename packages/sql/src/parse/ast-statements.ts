/**
 * The statements of the syntax tree (see ast.ts for its expressions and queries, which these
 * hold, and for what the tree promises).
 */
import type { Expr, FromClause, OrderingTerm, ResultColumn, Select, TableSource, WithClause } from './ast.js';

// ── Statements ──────────────────────────────────────────────────────────────────────────────

export type ConflictResolution = 'ROLLBACK' | 'ABORT' | 'FAIL' | 'IGNORE' | 'REPLACE';

/** `SET a = x` (one column) or `SET (a, b) = (x, y)` (a row value or subquery on the right). */
export interface SetClause {
  readonly columns: readonly string[];
  readonly value: Expr;
}

export interface UpsertClause {
  /** `ON CONFLICT (cols) [WHERE …]`; undefined for a bare `ON CONFLICT`. */
  readonly target: { readonly columns: readonly IndexedColumn[]; readonly where: Expr | undefined } | undefined;
  readonly action: { readonly kind: 'nothing' } | { readonly kind: 'update'; readonly sets: readonly SetClause[]; readonly where: Expr | undefined };
}

export interface SelectStatement {
  readonly kind: 'select';
  readonly query: Select;
}

export interface InsertStatement {
  readonly kind: 'insert';
  readonly with: WithClause | undefined;
  /** `INSERT OR x`; `REPLACE INTO` is 'REPLACE'; plain INSERT is undefined. */
  readonly or: ConflictResolution | undefined;
  readonly schema: string | undefined;
  readonly table: string;
  readonly alias: string | undefined;
  readonly columns: readonly string[] | undefined;
  readonly source:
    | { readonly kind: 'values'; readonly rows: readonly (readonly Expr[])[] }
    | { readonly kind: 'select'; readonly query: Select }
    | { readonly kind: 'defaults' };
  readonly upsert: readonly UpsertClause[];
  readonly returning: readonly ResultColumn[] | undefined;
}

export interface UpdateStatement {
  readonly kind: 'update';
  readonly with: WithClause | undefined;
  readonly or: ConflictResolution | undefined;
  readonly target: TableSource;
  readonly sets: readonly SetClause[];
  readonly from: FromClause | undefined;
  readonly where: Expr | undefined;
  readonly returning: readonly ResultColumn[] | undefined;
  readonly orderBy: readonly OrderingTerm[];
  readonly limit: Expr | undefined;
  readonly offset: Expr | undefined;
}

export interface DeleteStatement {
  readonly kind: 'delete';
  readonly with: WithClause | undefined;
  readonly target: TableSource;
  readonly where: Expr | undefined;
  readonly returning: readonly ResultColumn[] | undefined;
  readonly orderBy: readonly OrderingTerm[];
  readonly limit: Expr | undefined;
  readonly offset: Expr | undefined;
}

/** A column of an index, a PRIMARY KEY / UNIQUE list or an ON CONFLICT target. */
export interface IndexedColumn {
  /** Usually a `column` node; an expression for indexes on expressions. */
  readonly expr: Expr;
  readonly collation: string | undefined;
  readonly desc: boolean;
}

export type ForeignKeyAction = 'SET NULL' | 'SET DEFAULT' | 'CASCADE' | 'RESTRICT' | 'NO ACTION';

export interface ForeignKeyClause {
  readonly table: string;
  /** Empty when written without a column list (the parent's primary key). */
  readonly columns: readonly string[];
  readonly onDelete: ForeignKeyAction | undefined;
  readonly onUpdate: ForeignKeyAction | undefined;
  /** `DEFERRABLE INITIALLY DEFERRED`. */
  readonly deferred: boolean;
}

export type ColumnConstraint = { readonly name: string | undefined } & (
  | { readonly kind: 'primaryKey'; readonly desc: boolean; readonly onConflict: ConflictResolution | undefined; readonly autoincrement: boolean }
  | { readonly kind: 'notNull'; readonly onConflict: ConflictResolution | undefined }
  | { readonly kind: 'null' }
  | { readonly kind: 'unique'; readonly onConflict: ConflictResolution | undefined }
  | { readonly kind: 'check'; readonly expr: Expr; readonly text: string }
  | { readonly kind: 'default'; readonly expr: Expr; readonly text: string }
  | { readonly kind: 'collate'; readonly collation: string }
  | { readonly kind: 'references'; readonly foreignKey: ForeignKeyClause }
  | { readonly kind: 'generated'; readonly expr: Expr; readonly text: string; readonly stored: boolean }
);

export interface ColumnDefinition {
  readonly name: string;
  /** Declared type as written (words joined by one space, e.g. `VARCHAR(20)`), or '' when omitted. */
  readonly type: string;
  readonly constraints: readonly ColumnConstraint[];
}

export type TableConstraint = { readonly name: string | undefined } & (
  | {
      readonly kind: 'primaryKey';
      readonly columns: readonly IndexedColumn[];
      readonly onConflict: ConflictResolution | undefined;
      readonly autoincrement: boolean;
    }
  | { readonly kind: 'unique'; readonly columns: readonly IndexedColumn[]; readonly onConflict: ConflictResolution | undefined }
  | { readonly kind: 'check'; readonly expr: Expr; readonly text: string }
  | { readonly kind: 'foreignKey'; readonly columns: readonly string[]; readonly foreignKey: ForeignKeyClause }
);

export interface CreateTableStatement {
  readonly kind: 'createTable';
  /** The whole statement as written (kept in the schema, as sqlite_master.sql). */
  readonly text: string;
  readonly temp: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | undefined;
  readonly name: string;
  readonly columns: readonly ColumnDefinition[];
  readonly constraints: readonly TableConstraint[];
  readonly withoutRowid: boolean;
  readonly strict: boolean;
  /** `CREATE TABLE t AS SELECT …` (then columns and constraints are empty). */
  readonly asSelect: Select | undefined;
}

export interface CreateIndexStatement {
  readonly kind: 'createIndex';
  readonly text: string;
  readonly unique: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | undefined;
  readonly name: string;
  readonly table: string;
  readonly columns: readonly IndexedColumn[];
  readonly where: Expr | undefined;
}

export interface CreateViewStatement {
  readonly kind: 'createView';
  readonly text: string;
  readonly temp: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | undefined;
  readonly name: string;
  readonly columns: readonly string[] | undefined;
  readonly query: Select;
}

export type TriggerBodyStatement = InsertStatement | UpdateStatement | DeleteStatement | SelectStatement;

export interface CreateTriggerStatement {
  readonly kind: 'createTrigger';
  readonly text: string;
  readonly temp: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | undefined;
  readonly name: string;
  /** Omitted timing is BEFORE, as in SQLite. */
  readonly timing: 'BEFORE' | 'AFTER' | 'INSTEAD OF';
  readonly event: 'INSERT' | 'DELETE' | 'UPDATE';
  /** `UPDATE OF a, b`. */
  readonly columns: readonly string[] | undefined;
  readonly table: string;
  readonly forEachRow: boolean;
  readonly when: Expr | undefined;
  readonly body: readonly TriggerBodyStatement[];
}

export interface DropStatement {
  readonly kind: 'drop';
  readonly object: 'TABLE' | 'INDEX' | 'VIEW' | 'TRIGGER';
  readonly ifExists: boolean;
  readonly schema: string | undefined;
  readonly name: string;
}

export type AlterAction =
  | { readonly kind: 'renameTable'; readonly to: string }
  | {
      readonly kind: 'renameColumn';
      readonly from: string;
      readonly to: string;
      /** The new name was written quoted (SQLite then quotes it in the schema text). */ readonly quoted?: boolean;
    }
  | { readonly kind: 'addColumn'; readonly column: ColumnDefinition; readonly text: string }
  | { readonly kind: 'dropColumn'; readonly column: string };

export interface AlterTableStatement {
  readonly kind: 'alterTable';
  readonly schema: string | undefined;
  readonly table: string;
  readonly action: AlterAction;
}

export interface ReindexStatement {
  readonly kind: 'reindex';
  /** A table, index or collation name; undefined for a bare REINDEX. */
  readonly schema: string | undefined;
  readonly name: string | undefined;
}

export interface AnalyzeStatement {
  readonly kind: 'analyze';
  readonly schema: string | undefined;
  readonly name: string | undefined;
}

export interface VacuumStatement {
  readonly kind: 'vacuum';
  readonly schema: string | undefined;
  readonly into: Expr | undefined;
}

export interface BeginStatement {
  readonly kind: 'begin';
  readonly mode: 'DEFERRED' | 'IMMEDIATE' | 'EXCLUSIVE' | undefined;
}

/** `COMMIT` / `END` [TRANSACTION]. */
export interface CommitStatement {
  readonly kind: 'commit';
}

/** `ROLLBACK [TRANSACTION] [TO [SAVEPOINT] name]`. */
export interface RollbackStatement {
  readonly kind: 'rollback';
  readonly savepoint: string | undefined;
}

export interface SavepointStatement {
  readonly kind: 'savepoint';
  readonly name: string;
}

/** `RELEASE [SAVEPOINT] name`. */
export interface ReleaseStatement {
  readonly kind: 'release';
  readonly name: string;
}

/** `PRAGMA [schema.]name`, `PRAGMA name = value`, `PRAGMA name(value)`. */
export interface PragmaStatement {
  readonly kind: 'pragma';
  readonly schema: string | undefined;
  /** Lower-cased. */
  readonly name: string;
  /** A number, string or name (a bare word like ON, wal or a table name is a string). */
  readonly value: string | number | bigint | undefined;
}

export interface ExplainStatement {
  readonly kind: 'explain';
  /** `EXPLAIN QUERY PLAN`. */
  readonly queryPlan: boolean;
  readonly statement: Statement;
}

export type Statement =
  | SelectStatement
  | InsertStatement
  | UpdateStatement
  | DeleteStatement
  | CreateTableStatement
  | CreateIndexStatement
  | CreateViewStatement
  | CreateTriggerStatement
  | DropStatement
  | AlterTableStatement
  | ReindexStatement
  | AnalyzeStatement
  | VacuumStatement
  | BeginStatement
  | CommitStatement
  | RollbackStatement
  | SavepointStatement
  | ReleaseStatement
  | PragmaStatement
  | ExplainStatement;
