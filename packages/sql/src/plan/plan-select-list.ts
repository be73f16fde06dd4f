import { QueryError, NoSuchTableError } from '@sochdb/core';
import { checkAggregate, type AggregateSpec } from '../exec/aggregates.js';
import { columnRef, compileExpr, containsAggregate } from '../expr/expr.js';
import type { AggregateSink, Compiled, Evaluator, Scope } from '../expr/scope.js';
import type { Expr, ResultColumn, SelectCore } from '../parse/index.js';
import type { Affinity } from '../values/values.js';
import type { CollationName } from '../values/collation.js';
import type { CompiledFrom } from './plan-from.js';
import { sortDirection, unwrapCollate, type Tail } from './plan-order.js';
import { aggregateSubtypes } from '../expr/json-subtype.js';

// A SELECT's result columns, and the aggregate calls that make a query grouped.

/** The compiled select list: one entry per output column (a `*` expands to several). */
export interface SelectList {
  readonly projection: readonly Evaluator[];
  readonly columns: readonly string[];
  readonly affinities: readonly (Affinity | undefined)[];
  /**
   * Each output column's collation: COLLATE's, or its column's — BINARY for a column declared
   * without one, so that a compound takes it (SQLite gives every column reference a collation,
   * and other expressions none).
   */
  readonly collations: readonly (CollationName | undefined)[];
  /** Each output column's expression; undefined for a column of `*` / `t.*`. */
  readonly selectExprs: readonly (Expr | undefined)[];
  /** Output aliases (lower-cased), usable by WHERE, GROUP BY, HAVING and ORDER BY. */
  readonly aliases: ReadonlyMap<string, Compiled>;
  /** Aliases of expressions holding an aggregate: not usable in WHERE. */
  readonly aggregateAliases: ReadonlySet<string>;
}

/** Whether the query groups: a GROUP BY, or an aggregate in its select list, HAVING or ORDER BY. */
export function isGrouped(core: SelectCore, tail: Tail): boolean {
  return (
    core.groupBy.length > 0 ||
    core.columns.some((c) => c.kind === 'expr' && containsAggregate(c.expr)) ||
    containsAggregate(core.having) ||
    tail.orderBy.some((o) => containsAggregate(o.expr))
  );
}

/**
 * Collects a grouped query's aggregate calls into `specs`; each call reads its result from the
 * row slot after the `width` source columns that the grouper fills.
 */
export function aggregateSink(specs: AggregateSpec[], width: number): AggregateSink {
  return {
    add: (call, at) => {
      checkAggregate(call.name, call.args.length, call.star);
      if (call.args.some(containsAggregate))
        throw new QueryError(`misuse of aggregate function ${call.name}()`, { remediation: 'Aggregates cannot be nested.' });
      const base = at.derive(undefined);
      const args = call.args.map((a) => compileExpr(a, base));
      specs.push({
        name: call.name,
        args: args.map((a) => a.evaluate),
        collation: args[0]?.collation?.name,
        subtypes: aggregateSubtypes(call.name, call.args, base, compileExpr),
        distinct: call.distinct,
        star: call.star,
        filter: call.filter ? compileExpr(call.filter, base).evaluate : undefined,
        orderBy: call.orderBy.map((o) => {
          const { expr, collation } = unwrapCollate(o.expr);
          if (containsAggregate(expr)) throw new QueryError(`misuse of aggregate function in ORDER BY of ${call.name}()`);
          const compiled = compileExpr(expr, base);
          return { evaluate: compiled.evaluate, ...sortDirection(o, collation ?? compiled.collation?.name) };
        }),
      });
      return width + specs.length - 1;
    },
  };
}

/** Compiles the result columns: expressions over `outScope` (which takes aggregates when grouped), stars over `scope`. */
export function compileSelectList(items: readonly ResultColumn[], from: CompiledFrom, scope: Scope, outScope: Scope): SelectList {
  const projection: Evaluator[] = [];
  const columns: string[] = [];
  const affinities: (Affinity | undefined)[] = [];
  const collations: (CollationName | undefined)[] = [];
  const selectExprs: (Expr | undefined)[] = [];
  const aliases = new Map<string, Compiled>();
  const aggregateAliases = new Set<string>();
  const expandStar = (table: string | undefined) => {
    if (from.sources.length === 0) throw new QueryError('no tables specified');
    const t = table?.toLowerCase();
    const si = t === undefined ? -1 : from.scopeSources.findIndex((s) => s.alias === t);
    if (t !== undefined && si < 0) throw new NoSuchTableError(`no such table: ${table}`);
    for (const c of t === undefined ? from.star : from.tableStar(si)) {
      const compiled = c.byName ? columnRef(undefined, c.name, scope) : undefined;
      collations.push(compiled?.collation?.name ?? c.collation ?? 'BINARY');
      if (compiled) projection.push(compiled.evaluate);
      else {
        const slot = c.slot;
        scope.level.slots.add(slot);
        projection.push((env) => env.row[slot]!);
      }
      scope.used.clear();
      columns.push(c.name);
      affinities.push(c.affinity);
      selectExprs.push(undefined);
    }
  };
  items.forEach((item: ResultColumn) => {
    if (item.kind === 'star') return expandStar(undefined);
    if (item.kind === 'tableStar') return expandStar(item.table);
    const compiled = compileExpr(item.expr, outScope);
    projection.push(compiled.evaluate);
    affinities.push(compiled.affinity);
    collations.push(compiled.collation?.name ?? (item.expr.kind === 'column' ? 'BINARY' : undefined));
    columns.push(item.alias ?? columnNameOf(item.expr, item.text, scope));
    selectExprs.push(item.expr);
    if (item.alias) {
      aliases.set(item.alias.toLowerCase(), compiled);
      if (containsAggregate(item.expr)) aggregateAliases.add(item.alias.toLowerCase());
    }
  });
  return { projection, columns, affinities, collations, selectExprs, aliases, aggregateAliases };
}

/** SQLite names an unaliased column reference after the column as declared, anything else as written. */
function columnNameOf(e: Expr, text: string, scope: Scope): string {
  if (e.kind === 'column') {
    try {
      const r = scope.canResolve(e.column) || e.table !== undefined ? scope.resolve(e.table, e.column) : undefined;
      scope.used.clear();
      if (r) return r.name;
    } catch {
      // Ambiguity was already reported while compiling the expression.
    }
    return e.column;
  }
  return text;
}
