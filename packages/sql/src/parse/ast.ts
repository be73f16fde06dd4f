/**
 * The syntax tree of SQLite's SQL, as this package's parser builds it and the planner reads it:
 * expressions and queries here, statements in ast-statements.ts. It is ours, not a parser
 * library's: the planner depends on these types only, so the parser is one folder to swap. Nodes are plain readonly data; precedence is already resolved (every
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
  'OR' | 'AND' | '=' | '!=' | 'IS' | 'IS NOT' | '<' | '<=' | '>' | '>=' | '&' | '|' | '<<' | '>>' | '+' | '-' | '*' | '/' | '%' | '||' | '->' | '->>';

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
  /**
   * `OVER (name)`: a new window based on `name` (refused when `name` has a frame), where
   * `OVER name` is a copy of it. Set only when the parentheses hold nothing but the name, the
   * one case the other fields cannot tell apart.
   */
  readonly parenthesized?: true;
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
