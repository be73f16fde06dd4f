/**
 * The syntax tree of SQLite's SQL, as this package's parser builds it and the planner reads it.
 * It is ours, not a parser library's: the planner depends on these types only, so the parser is
 * one folder to swap. Nodes are plain readonly data; precedence is already resolved (every
 * `binary` node is one operator application, whatever parentheses were written).
 *
 * Names (tables, columns, aliases) keep the spelling written, with quotes removed; lookups are
 * case-insensitive elsewhere. Keywords are normalized to upper case.
 */

// ── Expressions ─────────────────────────────────────────────────────────────────────────────

/** A literal value: INTEGER → bigint, REAL → number, TEXT → string, BLOB → Uint8Array, NULL → null. */
export interface LiteralExpr {
  readonly kind: 'literal';
  readonly value: null | bigint | number | string | Uint8Array;
}

/**
 * A column (or, unqualified and double-quoted, possibly a string: SQLite reads `"abc"` as the
 * text 'abc' when no column of that name is in scope). `schema.table.column` keeps all three.
 */
export interface ColumnExpr {
  readonly kind: 'column';
  readonly schema: string | undefined;
  readonly table: string | undefined;
  readonly column: string;
  /** Written as "…" (double quotes): may fall back to a string literal. */
  readonly doubleQuoted: boolean;
}

/** `?`, `?NNN` (index set, 1-based; a bare `?` is numbered in text order), `:name`, `@name`, `$name`. */
export interface ParamExpr {
  readonly kind: 'param';
  readonly index: number | undefined;
  /** The name without its prefix character, for named parameters. */
  readonly name: string | undefined;
  /** As written, e.g. `?`, `?3`, `:id`. */
  readonly text: string;
}

export type UnaryOperator = '-' | '+' | '~' | 'NOT';

export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: UnaryOperator;
  readonly operand: Expr;
}

/**
 * Binary operators after normalization: `==` → `=`, `<>` → `!=`, `IS NOT DISTINCT FROM` → `IS`,
 * `IS DISTINCT FROM` → `IS NOT`; `x ISNULL` / `x IS NULL` are `IS` with a NULL literal on the
 * right, `x NOTNULL` / `x NOT NULL` / `x IS NOT NULL` are `IS NOT` with a NULL literal.
 */
export type BinaryOperator =
  | 'OR'
  | 'AND'
  | '='
  | '!='
  | 'IS'
  | 'IS NOT'
  | '<'
  | '<='
  | '>'
  | '>='
  | '&'
  | '|'
  | '<<'
  | '>>'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '||'
  | '->'
  | '->>';

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}

/** `x [NOT] LIKE|GLOB|REGEXP|MATCH pattern [ESCAPE e]`. */
export interface LikeExpr {
  readonly kind: 'like';
  readonly op: 'LIKE' | 'GLOB' | 'REGEXP' | 'MATCH';
  readonly not: boolean;
  readonly operand: Expr;
  readonly pattern: Expr;
  readonly escape: Expr | undefined;
}

export interface BetweenExpr {
  readonly kind: 'between';
  readonly not: boolean;
  readonly operand: Expr;
  readonly low: Expr;
  readonly high: Expr;
}

/** What `IN` tests against: a list (possibly empty), a subquery, or a table / table-valued function. */
export type InSource =
  | { readonly kind: 'list'; readonly items: readonly Expr[] }
  | { readonly kind: 'select'; readonly query: Select }
  | { readonly kind: 'table'; readonly schema: string | undefined; readonly name: string; readonly args: readonly Expr[] | undefined };

export interface InExpr {
  readonly kind: 'in';
  readonly not: boolean;
  /** A single expression, or a row value `(a, b)` compared against a multi-column subquery. */
  readonly operand: Expr;
  readonly source: InSource;
}

/** `EXISTS (select)`; `NOT EXISTS` is a `unary` NOT over it. */
export interface ExistsExpr {
  readonly kind: 'exists';
  readonly query: Select;
}

/** A scalar subquery `(select)`. */
export interface SubqueryExpr {
  readonly kind: 'subquery';
  readonly query: Select;
}

export interface CaseExpr {
  readonly kind: 'case';
  /** `CASE x WHEN …` (simple form); undefined for `CASE WHEN cond …`. */
  readonly operand: Expr | undefined;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly otherwise: Expr | undefined;
}

export interface CastExpr {
  readonly kind: 'cast';
  readonly operand: Expr;
  /** The type name as written, words joined by one space, e.g. `VARCHAR(20)`, `UNSIGNED BIG INT`. */
  readonly type: string;
}

export interface CollateExpr {
  readonly kind: 'collate';
  readonly operand: Expr;
  /** Upper-cased collation name, e.g. `NOCASE`. */
  readonly collation: string;
}

/**
 * A function call. `name` is lower-cased. `count(*)` has `star: true` and no args. Aggregate
 * modifiers (`DISTINCT`, `ORDER BY` inside the parentheses, `FILTER (WHERE …)`) and window
 * calls (`OVER …`) are kept for the planner to accept or refuse. `agg(ALL x)` is `distinct: false`.
 * The keywords CURRENT_TIME, CURRENT_DATE and CURRENT_TIMESTAMP are calls with no args and
 * `keyword: true`.
 */
export interface FunctionExpr {
  readonly kind: 'function';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly star: boolean;
  readonly distinct: boolean;
  readonly orderBy: readonly OrderingTerm[];
  readonly filter: Expr | undefined;
  readonly over: WindowSpec | undefined;
  readonly keyword: boolean;
}

/** A parenthesized list of two or more expressions: `(a, b)` (SQLite's row values). */
export interface RowExpr {
  readonly kind: 'row';
  readonly items: readonly Expr[];
}

/** `RAISE(IGNORE)` / `RAISE(ROLLBACK|ABORT|FAIL, 'message')`, only meaningful inside a trigger. */
export interface RaiseExpr {
  readonly kind: 'raise';
  readonly action: 'IGNORE' | 'ROLLBACK' | 'ABORT' | 'FAIL';
  readonly message: Expr | undefined;
}

export type Expr =
  | LiteralExpr
  | ColumnExpr
  | ParamExpr
  | UnaryExpr
  | BinaryExpr
  | LikeExpr
  | BetweenExpr
  | InExpr
  | ExistsExpr
  | SubqueryExpr
  | CaseExpr
  | CastExpr
  | CollateExpr
  | FunctionExpr
  | RowExpr
  | RaiseExpr;

// ── Windows ─────────────────────────────────────────────────────────────────────────────────

export interface FrameBound {
  readonly kind: 'UNBOUNDED PRECEDING' | 'PRECEDING' | 'CURRENT ROW' | 'FOLLOWING' | 'UNBOUNDED FOLLOWING';
  /** The offset of `n PRECEDING` / `n FOLLOWING`. */
  readonly offset: Expr | undefined;
}

export interface WindowFrame {
  readonly units: 'ROWS' | 'RANGE' | 'GROUPS';
  readonly start: FrameBound;
  /** `BETWEEN start AND end`; a frame written with one bound ends at CURRENT ROW. */
  readonly end: FrameBound;
  readonly exclude: 'NO OTHERS' | 'CURRENT ROW' | 'GROUP' | 'TIES' | undefined;
}

/** `OVER name` (only `base` set) or `OVER (base PARTITION BY … ORDER BY … frame)`. */
export interface WindowSpec {
  readonly base: string | undefined;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderingTerm[];
  readonly frame: WindowFrame | undefined;
}

// ── Queries ─────────────────────────────────────────────────────────────────────────────────

export interface OrderingTerm {
  /** May be a `collate` node (`ORDER BY x COLLATE NOCASE`). */
  readonly expr: Expr;
  readonly desc: boolean;
  /** Explicit `NULLS FIRST` / `NULLS LAST`; undefined means SQLite's default (NULLs are smallest). */
  readonly nulls: 'FIRST' | 'LAST' | undefined;
}

export interface CommonTableExpression {
  readonly name: string;
  /** `name(a, b) AS (…)`: the column names, or undefined. */
  readonly columns: readonly string[] | undefined;
  /** `AS MATERIALIZED` → true, `AS NOT MATERIALIZED` → false. */
  readonly materialized: boolean | undefined;
  readonly query: Select;
}

export interface WithClause {
  readonly recursive: boolean;
  readonly ctes: readonly CommonTableExpression[];
}

export type ResultColumn =
  | { readonly kind: 'star' }
  | { readonly kind: 'tableStar'; readonly table: string }
  | {
      readonly kind: 'expr';
      readonly expr: Expr;
      readonly alias: string | undefined;
      /** The expression exactly as written (trimmed): SQLite's column name when there is no alias. */
      readonly text: string;
    };

/** A table named in FROM (or the target of INSERT/UPDATE/DELETE). */
export interface TableSource {
  readonly kind: 'table';
  readonly schema: string | undefined;
  readonly name: string;
  readonly alias: string | undefined;
  /** `INDEXED BY name` → the name; `NOT INDEXED` → null; neither → undefined. */
  readonly indexedBy: string | null | undefined;
  /** A table-valued function call `name(args)`, e.g. `json_each(x)`. */
  readonly args: readonly Expr[] | undefined;
}

export interface SubquerySource {
  readonly kind: 'subquery';
  readonly query: Select;
  readonly alias: string | undefined;
}

/** A parenthesized join `( a JOIN b ON … )` used as one FROM item. */
export interface JoinSource {
  readonly kind: 'join';
  readonly from: FromClause;
  readonly alias: string | undefined;
}

export type FromItem = TableSource | SubquerySource | JoinSource;

/**
 * How a FROM item joins the items before it. `comma` is `a, b`; `cross` is `a CROSS JOIN b`
 * (both plain inner joins in SQLite); `OUTER` is implied by left/right/full.
 */
export interface JoinOperator {
  readonly kind: 'comma' | 'inner' | 'cross' | 'left' | 'right' | 'full';
  readonly natural: boolean;
}

export interface JoinedItem {
  readonly item: FromItem;
  /** Undefined for the first item. */
  readonly join: JoinOperator | undefined;
  readonly on: Expr | undefined;
  /** `USING (a, b)`. */
  readonly using: readonly string[] | undefined;
}

/** FROM's items left to right; SQLite joins are left-associative, so the list is the tree. */
export interface FromClause {
  readonly items: readonly JoinedItem[];
}

export interface NamedWindow {
  readonly name: string;
  readonly spec: WindowSpec;
}

export interface SelectCore {
  readonly kind: 'select';
  /** `SELECT DISTINCT`; `SELECT ALL` and plain `SELECT` are false. */
  readonly distinct: boolean;
  readonly columns: readonly ResultColumn[];
  readonly from: FromClause | undefined;
  readonly where: Expr | undefined;
  readonly groupBy: readonly Expr[];
  readonly having: Expr | undefined;
  readonly windows: readonly NamedWindow[];
}

/** `VALUES (…), (…)` as a query (also a compound member). */
export interface ValuesCore {
  readonly kind: 'values';
  readonly rows: readonly (readonly Expr[])[];
}

export type CompoundOperator = 'UNION' | 'UNION ALL' | 'INTERSECT' | 'EXCEPT';

/**
 * A whole query: `[WITH …] core [op core]… [ORDER BY …] [LIMIT …]`. Compound members combine
 * left to right (SQLite gives all set operators the same precedence). `LIMIT a, b` is stored as
 * limit b, offset a.
 */
export interface Select {
  readonly with: WithClause | undefined;
  readonly first: SelectCore | ValuesCore;
  readonly compounds: readonly { readonly op: CompoundOperator; readonly core: SelectCore | ValuesCore }[];
  readonly orderBy: readonly OrderingTerm[];
  readonly limit: Expr | undefined;
  readonly offset: Expr | undefined;
}

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
  readonly source: { readonly kind: 'values'; readonly rows: readonly (readonly Expr[])[] } | { readonly kind: 'select'; readonly query: Select } | { readonly kind: 'defaults' };
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
  | { readonly kind: 'primaryKey'; readonly columns: readonly IndexedColumn[]; readonly onConflict: ConflictResolution | undefined; readonly autoincrement: boolean }
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
  | { readonly kind: 'renameColumn'; readonly from: string; readonly to: string }
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
