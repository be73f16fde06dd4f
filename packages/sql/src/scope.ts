import { QueryError } from '@sochdb/core';
import type { Node } from './ast.js';
import type { Affinity, SqlValue } from './values.js';

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
}

export interface SourceColumn {
  readonly name: string;
  readonly affinity: Affinity | undefined;
}

/** One FROM item in a scope: its columns occupy `offset … offset + columns.length - 1` of the row. */
export interface ScopeSource {
  readonly alias: string;
  readonly columns: readonly SourceColumn[];
  readonly offset: number;
  /** Only `alias.column` reaches it (ON CONFLICT's `excluded`). */
  readonly qualifiedOnly?: boolean;
}

/** How a subquery is evaluated from inside an expression (implemented by the query executor). */
export interface SubqueryHandle {
  /** The rows of the subquery for this outer row; at most `limit` when given. */
  rows(env: Env, limit?: number): readonly (readonly SqlValue[])[];
  readonly columnCount: number;
}

/** Registers an aggregate call while compiling a grouped query; returns the row slot holding its result. */
export interface AggregateSink {
  add(name: string, args: readonly Node[], distinct: boolean, star: boolean, scope: Scope): number;
}

/** Shared by the scopes of one query level. */
export interface QueryLevel {
  /** Whether any expression reads an enclosing query's row (a correlated subquery). */
  correlated: boolean;
  /** Row slots some expression reads; the others need not be decoded. */
  readonly slots: Set<number>;
}

/** Name resolution for one query level; `parent` is the enclosing query (correlated references). */
export class Scope {
  /** Local source positions referenced by the last compiled expression (for the planner). */
  readonly used = new Set<number>();

  constructor(
    readonly sources: readonly ScopeSource[],
    readonly parent: Scope | undefined,
    readonly compileSubquery: (query: Node, scope: Scope) => SubqueryHandle,
    readonly aggregates: AggregateSink | undefined = undefined,
    /** Output column aliases usable by ORDER BY / HAVING: alias → slot in `row`. */
    readonly aliases: ReadonlyMap<string, Compiled> | undefined = undefined,
    /** Shared by every scope of one query level: whether any of its expressions read an enclosing query. */
    readonly level: QueryLevel = { correlated: false, slots: new Set() },
  ) {}

  get correlated(): boolean {
    return this.level.correlated;
  }

  /** A scope over the same sources and query level, with other aggregate/alias rules. */
  derive(aggregates: AggregateSink | undefined, aliases: ReadonlyMap<string, Compiled> | undefined = undefined): Scope {
    return new Scope(this.sources, this.parent, this.compileSubquery, aggregates, aliases, this.level);
  }

  get width(): number {
    const last = this.sources[this.sources.length - 1];
    return last ? last.offset + last.columns.length : 0;
  }

  /** Resolves a column reference to (depth, slot); depth 0 is this query, 1 its parent, … */
  resolve(table: string | undefined, column: string): { depth: number; slot: number; affinity: Affinity | undefined } | undefined {
    const col = column.toLowerCase();
    const tbl = table?.toLowerCase();
    let found: { slot: number; affinity: Affinity | undefined; source: number } | undefined;
    this.sources.forEach((s, si) => {
      if (tbl !== undefined ? s.alias !== tbl : s.qualifiedOnly) return;
      const ci = s.columns.findIndex((c) => c.name.toLowerCase() === col);
      if (ci < 0) return;
      if (found && tbl === undefined) {
        throw new QueryError(`ambiguous column name: ${column}`, { remediation: `Qualify it with a table name, e.g. ${s.alias}.${column}.` });
      }
      found ??= { slot: s.offset + ci, affinity: s.columns[ci]!.affinity, source: si };
    });
    if (found) {
      this.used.add(found.source);
      this.level.slots.add(found.slot);
      return { depth: 0, slot: found.slot, affinity: found.affinity };
    }
    const up = this.parent?.resolve(table, column);
    if (up) {
      this.level.correlated = true;
      return { ...up, depth: up.depth + 1 };
    }
    return undefined;
  }

  hasSource(alias: string): boolean {
    const a = alias.toLowerCase();
    return this.sources.some((s) => s.alias === a) || (this.parent?.hasSource(alias) ?? false);
  }
}
