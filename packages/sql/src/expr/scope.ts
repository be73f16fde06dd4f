import { QueryError } from '@sochdb/core';
import type { Collation, CollationName } from '../values/collation.js';
import type { Expr, FunctionExpr, OrderingTerm, Select } from '../parse/index.js';
import type { Affinity, SqlValue } from '../values/values.js';
import type { ConnectionCounters } from '../values/scalar-function.js';

/** Values bound to `?`/`$n` (1-based positions) and `:name`/`@name`/`$name`. */
export interface Params {
  readonly positional: readonly SqlValue[];
  readonly named: ReadonlyMap<string, SqlValue>;
}

/** Per-execution state shared by every evaluator of one statement run. */
export interface Runtime {
  readonly params: Params;
  /** Results of uncorrelated subqueries, and preloaded tables of correlated ones, by subquery id. */
  readonly subqueries: Map<number, unknown>;
  /** The statement's 'now' (ms since the epoch), fixed on first use: see StatementClock. */
  nowMs?: number;
  /** The engine's counters for changes() and friends (absent outside an engine: all zero). */
  readonly connection?: ConnectionCounters | undefined;
}

/** What an evaluator sees: the current row (all FROM sources side by side) and the enclosing query's row. */
export interface Env {
  row: SqlValue[];
  readonly outer: Env | undefined;
  readonly rt: Runtime;
}

export type Evaluator = (env: Env) => SqlValue;

export interface Compiled {
  readonly evaluate: Evaluator;
  /** The affinity SQLite gives the expression (a column's, or a CAST's); undefined for "none". */
  readonly affinity: Affinity | undefined;
  /** The collation comparisons with it use (a column's, or one written with COLLATE). */
  readonly collation?: Collation | undefined;
}

/**
 * The expression compiler (expr.ts). Modules it calls into that must compile sub-expressions
 * (function calls, IN) take it as a parameter, so that they do not import expr.ts back.
 */
export type CompileExpr = (e: Expr, scope: Scope) => Compiled;

export interface SourceColumn {
  readonly name: string;
  readonly affinity: Affinity | undefined;
  /** A declared COLLATE other than BINARY. */
  readonly collation?: CollationName | undefined;
  /** A table-valued function's hidden column (its arguments): left out of `SELECT *`. */
  readonly hidden?: boolean;
}

/** One FROM item in a scope: its columns occupy `offset … offset + columns.length - 1` of the row. */
export interface ScopeSource {
  readonly alias: string;
  readonly columns: readonly SourceColumn[];
  readonly offset: number;
  /** Only `alias.column` reaches it (ON CONFLICT's `excluded`, a trigger's `new` and `old`). */
  readonly qualifiedOnly?: boolean;
  /** Lower-cased names in this source's own USING list (or those NATURAL joined on). */
  readonly using?: ReadonlySet<string>;
  /** How this source joins the ones before it. */
  readonly join?: 'inner' | 'left' | 'right' | 'full';
}

/** How a subquery is evaluated from inside an expression (implemented by the query executor). */
export interface SubqueryHandle {
  /** The rows of the subquery for this outer row; at most `limit` when given. */
  rows(env: Env, limit?: number): readonly (readonly SqlValue[])[];
  readonly columnCount: number;
  /** Each result column's affinity (a column's or a CAST's), used by `x IN (SELECT …)`. */
  readonly affinities: readonly (Affinity | undefined)[];
}

/** An aggregate call as the planner registers it. */
export interface AggregateCall {
  readonly name: string;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  readonly star: boolean;
  readonly filter: Expr | undefined;
  readonly orderBy: readonly OrderingTerm[];
}

/** Registers an aggregate call while compiling a grouped query; returns the row slot holding its result. */
export interface AggregateSink {
  add(call: AggregateCall, scope: Scope): number;
}

/**
 * Registers a window function call (`f(…) OVER …`) of a select list or a query's ORDER BY, the
 * only places SQLite allows one; returns how to read its value (plan/plan-window.ts).
 */
export interface WindowSink {
  add(call: FunctionExpr, scope: Scope): Compiled;
}

/** Shared by the scopes of one query level. */
export interface QueryLevel {
  /** Whether any expression reads an enclosing query's row (a correlated subquery). */
  correlated: boolean;
  /** Row slots some expression reads; the others need not be decoded. */
  readonly slots: Set<number>;
}

export interface Resolved {
  readonly depth: number;
  readonly slot: number;
  readonly affinity: Affinity | undefined;
  readonly collation: Collation | undefined;
  /** A USING column of FULL joins: every copy's slot, the first non-NULL one is the value. */
  readonly coalesce: readonly number[] | undefined;
  /** The column's name as declared (SQLite names a result column after it). */
  readonly name: string;
}

/** Name resolution for one query level; `parent` is the enclosing query (correlated references). */
export class Scope {
  /** Local source positions referenced by the last compiled expression (for the planner). */
  readonly used = new Set<number>();

  constructor(
    readonly sources: readonly ScopeSource[],
    readonly parent: Scope | undefined,
    readonly compileSubquery: (query: Select, scope: Scope) => SubqueryHandle,
    readonly aggregates: AggregateSink | undefined = undefined,
    /** Output column aliases usable by ORDER BY / HAVING: alias → slot in `row`. */
    readonly aliases: ReadonlyMap<string, Compiled> | undefined = undefined,
    /** Shared by every scope of one query level: whether any of its expressions read an enclosing query. */
    readonly level: QueryLevel = { correlated: false, slots: new Set() },
    /** Where window calls go; derive() drops it, so WHERE, GROUP BY, HAVING and arguments refuse them. */
    readonly windows: WindowSink | undefined = undefined,
  ) {}

  get correlated(): boolean {
    return this.level.correlated;
  }

  /** A scope over the same sources and query level, with other aggregate/alias rules. */
  derive(aggregates: AggregateSink | undefined, aliases: ReadonlyMap<string, Compiled> | undefined = undefined): Scope {
    return new Scope(this.sources, this.parent, this.compileSubquery, aggregates, aliases, this.level);
  }

  /** The same scope, where window functions may be called. */
  withWindows(windows: WindowSink): Scope {
    return new Scope(this.sources, this.parent, this.compileSubquery, this.aggregates, this.aliases, this.level, windows);
  }

  get width(): number {
    const last = this.sources[this.sources.length - 1];
    return last ? last.offset + last.columns.length : 0;
  }

  /**
   * Resolves a column reference to (depth, slot); depth 0 is this query, 1 its parent, … An
   * unqualified name found in several sources follows SQLite's lookupName(): a later copy is
   * ambiguous unless its source joined USING that name; then an INNER/LEFT join keeps the
   * leftmost copy, a RIGHT join takes its own, and a FULL join reads the first non-NULL copy.
   */
  resolve(table: string | undefined, column: string): Resolved | undefined {
    const col = column.toLowerCase();
    const tbl = table?.toLowerCase();
    let matches: { slot: number; column: SourceColumn; source: number }[] = [];
    this.sources.forEach((s, si) => {
      if (tbl !== undefined ? s.alias !== tbl : s.qualifiedOnly) return;
      const ci = s.columns.findIndex((c) => c.name.toLowerCase() === col);
      if (ci < 0) return;
      const match = { slot: s.offset + ci, column: s.columns[ci]!, source: si };
      if (matches.length === 0) return void matches.push(match);
      if (tbl !== undefined || !s.using?.has(col)) {
        throw new QueryError(`ambiguous column name: ${column}`, { remediation: `Qualify it with a table name, e.g. ${s.alias}.${column}.` });
      }
      if (s.join === 'right') matches = [match];
      else if (s.join === 'full') matches.push(match);
    });
    if (matches.length > 0) {
      for (const m of matches) {
        this.used.add(m.source);
        this.level.slots.add(m.slot);
      }
      const c = matches[0]!.column;
      // A column always has a collation (BINARY unless declared): in `binary_col = nocase_col`
      // the left column's BINARY wins, as in SQLite, rather than the right one's NOCASE.
      const collation = { name: c.collation ?? 'BINARY', explicit: false } as const;
      return {
        depth: 0,
        slot: matches[0]!.slot,
        affinity: c.affinity,
        collation,
        coalesce: matches.length > 1 ? matches.map((m) => m.slot) : undefined,
        name: c.name,
      };
    }
    const up = this.parent?.resolve(table, column);
    if (up) {
      this.level.correlated = true;
      return { ...up, depth: up.depth + 1 };
    }
    return undefined;
  }

  /** Whether an unqualified name reaches a column here or in an enclosing query (no side effects). */
  canResolve(column: string): boolean {
    const col = column.toLowerCase();
    const here = this.sources.some((s) => !s.qualifiedOnly && s.columns.some((c) => c.name.toLowerCase() === col));
    return here || (this.parent?.canResolve(column) ?? false);
  }

  hasSource(alias: string): boolean {
    const a = alias.toLowerCase();
    return this.sources.some((s) => s.alias === a) || (this.parent?.hasSource(alias) ?? false);
  }
}
