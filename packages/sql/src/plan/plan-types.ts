import type { AccessPath } from '../exec/access.js';
import type { AggregateSpec } from '../exec/aggregates.js';
import type { KeySpace } from '../schema/keys.js';
import type { CompoundOperator, Expr, Select } from '../parse/index.js';
import type { TableDef, ViewDef } from '../schema/schema.js';
import type { TriggerDef } from '../schema/trigger-def.js';
import type { SchemaLookup } from './pragma-tables.js';
import type { Compiled, Env, Evaluator, Scope, SourceColumn } from '../expr/scope.js';
import type { ReadContext } from '../exec/read-context.js';
import type { WindowStage } from '../exec/window-types.js';
import type { Affinity, SqlValue } from '../values/values.js';
import type { CollationName } from '../values/collation.js';
import type { SortDirection } from '../values/sort-keys.js';

/** An equality between a column expression of the joined source and one of earlier sources. */
export interface JoinKey {
  /** Evaluated on a row holding the joined source's values at its offset. */
  readonly inner: Compiled;
  /** Evaluated on the outer (already joined) row. */
  readonly outer: Compiled;
  /**
   * The inner side is a plain column of the joined source: its value depends on the inner row
   * alone (no parameter, outer row or function), so a hash table of inner rows can be reused.
   */
  readonly innerIsColumn: boolean;
  /** The `inner = outer` conjunct this key came from. */
  readonly conjunct: Expr;
}

/** One FROM item, and how it is read and joined. */
/**
 * Rows produced by code rather than read from a table or a query plan: a recursive CTE, or its
 * working table while its recursive members run. `atMost` is how many rows the reader needs
 * (Infinity for all): an infinite recursion read under `LIMIT n` stops after n rows.
 */
export type RowSource = (env: Env, rc: ReadContext, atMost: number) => Promise<readonly SqlValue[][]>;

/**
 * Rows computed from the row joined so far (`env.row`) and the enclosing queries: a
 * table-valued function whose arguments read earlier FROM items (`FROM t, json_each(t.tags)`) or
 * an enclosing query. Evaluated per joined row (plan/table-functions.ts).
 */
export type LateralRows = (env: Env) => readonly SqlValue[][];

export interface SourcePlan {
  readonly alias: string;
  readonly table: TableDef | undefined;
  readonly derived: QueryPlan | undefined;
  readonly rowSource: RowSource | undefined;
  /** Rows that depend on the joined row (see LateralRows); `rowSource` then serves a first source. */
  readonly lateral?: LateralRows | undefined;
  readonly columns: readonly SourceColumn[];
  readonly offset: number;
  /** LEFT or FULL JOIN: outer rows without a match are kept, with NULLs for this source. */
  readonly left: boolean;
  /** RIGHT or FULL JOIN: this source's rows without a match are kept, with NULLs for the sources before it. */
  readonly right: boolean;
  /** How the source is read on its own (driving source, or materialized for a hash/loop join). */
  readonly access: AccessPath;
  /** A key lookup per outer row (primary key or index), when the join condition allows one. */
  readonly lookup: AccessPath | undefined;
  readonly hashKeys: readonly JoinKey[];
  /** An outer join's ON condition: decides which pairs match (unmatched rows get NULLs). */
  readonly match: readonly Evaluator[];
  /** Conditions checked once this source is joined. */
  readonly filters: readonly Evaluator[];
  /**
   * `filters` less the one equality of a single-key hash join (inner joins only). A pair that the
   * hash table matched on a numeric key needs no re-check of that equality: numbers meet in the
   * table exactly when SQL's `=` holds for them (text keys are re-checked: a blob's key is text).
   */
  readonly hashResidual: readonly Evaluator[] | undefined;
  /** Values of columns added by ALTER TABLE for rows stored before them. */
  readonly defaults: readonly SqlValue[];
  /** Which of the table's columns the query reads (the rest are skipped when decoding). */
  readonly needed: readonly boolean[] | undefined;
}

export interface OrderTerm extends SortDirection {
  /** Index of the output column to sort by, or an expression over the source row. */
  readonly outputIndex: number | undefined;
  readonly evaluate: Evaluator | undefined;
}

export interface SelectPlan {
  readonly kind: 'select';
  readonly sources: readonly SourcePlan[];
  /** Filters when there is no FROM clause (or conditions on no source at all). */
  readonly constantFilters: readonly Evaluator[];
  readonly width: number;
  /**
   * GROUP BY: each term's evaluator and the collation its values are grouped (and the groups
   * ordered) by, and the aggregate calls.
   */
  readonly aggregate:
    | { readonly groupBy: readonly Evaluator[]; readonly groupCollations: readonly (CollationName | undefined)[]; readonly specs: readonly AggregateSpec[] }
    | undefined;
  readonly having: Evaluator | undefined;
  readonly projection: readonly Evaluator[];
  readonly columns: readonly string[];
  readonly affinities: readonly (Affinity | undefined)[];
  /** Each output column's collation (a column's, or COLLATE's): how DISTINCT and compounds compare it. */
  readonly collations: readonly (CollationName | undefined)[];
  readonly distinct: boolean;
  readonly orderBy: readonly OrderTerm[];
  readonly limit: Evaluator | undefined;
  readonly offset: Evaluator | undefined;
  readonly scope: Scope;
  /** Window function calls, computed after HAVING and before DISTINCT, ORDER BY and LIMIT. */
  readonly windows?: WindowStage | undefined;
}

/** `VALUES (…), (…)`: rows of expressions, evaluated in order. */
export interface ValuesPlan {
  readonly kind: 'values';
  readonly rows: readonly (readonly Evaluator[])[];
  readonly columns: readonly string[];
  readonly affinities: readonly (Affinity | undefined)[];
  readonly scope: Scope;
  /** Per row, its window calls (each computed over that row alone, as SQLite does). */
  readonly windows?: readonly (WindowStage | undefined)[] | undefined;
}

export type MemberPlan = SelectPlan | ValuesPlan;

/** Set operations over members (also a lone VALUES, or a SELECT whose ORDER BY is the compound's). */
export interface CompoundPlan {
  readonly kind: 'compound';
  readonly members: readonly MemberPlan[];
  readonly operators: readonly CompoundOperator[];
  readonly orderBy: readonly OrderTerm[];
  readonly limit: Evaluator | undefined;
  readonly offset: Evaluator | undefined;
  readonly columns: readonly string[];
  readonly affinities: readonly (Affinity | undefined)[];
  /** Each column's collation for UNION, INTERSECT and EXCEPT: the leftmost member's that has one (SQLite's multiSelectCollSeq). */
  readonly collations: readonly (CollationName | undefined)[];
}

export type QueryPlan = SelectPlan | CompoundPlan;

/** A common table expression: its query, its column names, and the CTEs its own query sees. */
export interface CteDef {
  readonly query: Select;
  readonly columns: readonly string[] | undefined;
  readonly scope: ReadonlyMap<string, CteDef> | undefined;
  /** Declared under WITH RECURSIVE and referring to itself. */
  readonly recursive: boolean;
  /** Inside its own recursive members: the working table they read. */
  readonly working: { readonly rows: RowSource; readonly columns: readonly SourceColumn[] } | undefined;
}

/** A subquery used inside an expression; uncorrelated ones run once per statement execution. */
export interface SubqueryEntry {
  readonly id: number;
  readonly plan: QueryPlan;
  readonly correlated: boolean;
}

/**
 * The query compiler (plan-select.ts), passed to the modules it calls that compile queries of
 * their own (FROM items, recursive CTEs), so that they do not import it back.
 */
export type CompileQuery = (query: Select, parent: Scope | undefined, ctx: CompileContext) => QueryPlan;

/** What compiling one statement needs, and what it collects. */
export interface CompileContext {
  readonly table: (name: string) => TableDef | undefined;
  /** `schema` is the name's qualifier (`temp.sqlite_master`), when written. */
  readonly view: (name: string, schema?: string) => ViewDef | undefined;
  /** The SQL triggers on a table or view, in the order they fire (INSTEAD OF triggers make a view writable). */
  readonly triggers?: (name: string) => readonly TriggerDef[];
  /** The whole schema, for the schema PRAGMAs' table-valued forms (pragma_table_info, …). */
  readonly schema?: SchemaLookup;
  readonly keys: KeySpace;
  readonly subqueries: SubqueryEntry[];
  /** Common table expressions (WITH name AS (…)) in scope, by lower-cased name. */
  readonly ctes?: ReadonlyMap<string, CteDef> | undefined;
  /** The most rows one recursive CTE may produce (the engine's limits.recursiveRows). */
  readonly recursiveRows?: number;
}
