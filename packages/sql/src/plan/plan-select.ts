import { QueryError } from '@sochdb/core';
import type { AggregateSpec } from '../exec/aggregates.js';
import { runQuerySync } from '../exec/select-exec.js';
import { constantValue } from '../expr/constant.js';
import { compileExpr, containsAggregate } from '../expr/expr.js';
import { Scope, type Compiled, type Evaluator, type QueryLevel, type SubqueryHandle } from '../expr/scope.js';
import type { Expr, OrderingTerm, Select, SelectCore, ValuesCore } from '../parse/index.js';
import type { SqlValue } from '../values/values.js';
import type { CollationName } from '../values/collation.js';
import { compileFrom } from './plan-from.js';
import { compoundOrderTerm, limitOf, makeTerm, NO_TAIL, ordinalTerm, unwrapCollate, type Tail } from './plan-order.js';
import { aggregateSink, compileSelectList, isGrouped, type SelectList } from './plan-select-list.js';
import { placeConditions, planSource } from './plan-sources.js';
import type { CompileContext, CteDef, MemberPlan, OrderTerm, QueryPlan, SelectPlan, SourcePlan, ValuesPlan } from './plan-types.js';
import { isSelfReferencing } from './recursive-cte.js';
import { WindowCollector } from './plan-window.js';
import type { WindowStage } from '../exec/window-types.js';
import { isCorrelated } from './correlated.js';

// A query (SELECT, VALUES, compounds, WITH) compiled into a QueryPlan. compileSelect runs the
// phases of one SELECT; plan-select-list.ts, plan-sources.ts and plan-order.ts hold them.

export function compileQuery(query: Select, parent: Scope | undefined, outerCtx: CompileContext): QueryPlan {
  const ctx = withCtes(query, outerCtx);
  const cores = [query.first, ...query.compounds.map((c) => c.core)];
  if (cores.length === 1 && query.first.kind === 'select') return compileSelect(query.first, parent, ctx, query);
  const members: MemberPlan[] = cores.map((core) => (core.kind === 'select' ? compileSelect(core, parent, ctx, NO_TAIL) : compileValues(core, parent, ctx)));
  const width = members[0]!.columns.length;
  if (members.some((m) => m.columns.length !== width)) {
    const op = query.compounds[0]?.op ?? 'VALUES';
    throw new QueryError(`SELECTs to the left and right of ${op} do not have the same number of result columns`);
  }
  const columns = members[0]!.columns;
  const orderBy = query.orderBy.map((term, i) => compoundOrderTerm(term, i, query, members));
  const { limit, offset } = limitOf(query, new Scope([], parent, makeSubqueryCompiler(ctx)));
  // Per column, the leftmost member's collation that has one (a VALUES row has none).
  const collations = columns.map((_, i) => members.map((m) => (m.kind === 'select' ? m.collations[i] : undefined)).find((c) => c !== undefined));
  return {
    kind: 'compound',
    members,
    operators: query.compounds.map((c) => c.op),
    orderBy,
    limit,
    offset,
    columns,
    affinities: members[0]!.affinities,
    collations,
  };
}

export function makeSubqueryCompiler(ctx: CompileContext): (query: Select, scope: Scope) => SubqueryHandle {
  return (query, scope) => {
    const plan = compileQuery(query, scope, ctx);
    const correlated = isCorrelated(plan);
    const id = ctx.subqueries.length;
    ctx.subqueries.push({ id, plan, correlated });
    return {
      columnCount: plan.columns.length,
      affinities: plan.affinities,
      rows: (env, limit) => {
        const prepared = env.rt.subqueries.get(id);
        if (!correlated) return prepared as SqlValue[][];
        return runQuerySync(plan, env, prepared as Map<SourcePlan, SqlValue[][]>, limit);
      },
    };
  };
}

function compileValues(core: ValuesCore, parent: Scope | undefined, ctx: CompileContext): ValuesPlan {
  const scope = new Scope([], parent, makeSubqueryCompiler(ctx));
  const width = core.rows[0]?.length ?? 0;
  const windows: (WindowStage | undefined)[] = [];
  const rows = core.rows.map((r) => {
    if (r.length !== width) throw new QueryError('all VALUES must have the same number of terms');
    // SQLite reads each row as a SELECT without FROM: its window calls run over that one row.
    const collector = new WindowCollector([], []);
    const row = r.map((e) => compileExpr(e, scope.withWindows(collector)).evaluate);
    windows.push(collector.finish(0, []));
    return row;
  });
  const columns = Array.from({ length: width }, (_, i) => `column${i + 1}`);
  return { kind: 'values', rows, columns, affinities: columns.map(() => undefined), scope, windows: windows.some((w) => w) ? windows : undefined };
}

function compileSelect(core: SelectCore, parent: Scope | undefined, ctx: CompileContext, tail: Tail): SelectPlan {
  const subq = makeSubqueryCompiler(ctx);
  const windows = new WindowCollector(core.windows, core.columns);
  // 1. FROM: sources, joins and their row layout.
  const level: QueryLevel = { correlated: false, slots: new Set() };
  const from = compileFrom(core.from, parent, ctx, { compileQuery, constant: constantValue, compileSubquery: subq, level });
  const scope = new Scope(from.scopeSources, parent, subq, undefined, undefined, level);

  // 2. Select list (needed first: WHERE, GROUP BY, HAVING and ORDER BY may use its aliases).
  const specs: AggregateSpec[] = [];
  const width = from.width;
  const grouped = isGrouped(core, tail) || windows.readsAggregates(tail.orderBy);
  if (core.having && !grouped)
    throw new QueryError('a GROUP BY clause is required before HAVING', { remediation: 'Add GROUP BY, or move the condition to WHERE.' });
  const sink = grouped ? aggregateSink(specs, width) : undefined;
  const list = compileSelectList(core.columns, from, scope, scope.derive(sink).withWindows(windows));
  // Window values exist only after WHERE, GROUP BY and HAVING: their aliases mean nothing there.
  windows.checkAliases([core.where, ...core.groupBy, core.having], scope);

  // 3. WHERE and ON conditions, placed at the first join level where every source they read is
  //    present, and never below a RIGHT or FULL join (whose NULL-extended rows they must see).
  const whereAliases = new Map([...windows.visible(list.aliases)].filter(([k]) => !list.aggregateAliases.has(k)));
  const condScope = scope.derive(undefined, whereAliases);
  const conditions = placeConditions(core.where, from.sources, condScope);

  // 4. Access paths, key lookups and hash-join keys per source.
  const sourcePlans = from.sources.map((p, j) => planSource(p, j, from.scopeSources[j]!.columns, conditions, condScope));

  // 5. GROUP BY, HAVING, ORDER BY, LIMIT.
  const groupScope = scope.derive(sink, list.aliases);
  const groupTerms = compileGroupBy(core.groupBy, list, scope, whereAliases);
  const groupEvaluators = groupTerms.map((t) => t.evaluate);
  const having = core.having ? compileExpr(core.having, scope.derive(sink, windows.visible(list.aliases))).evaluate : undefined;
  const orderBy = compileOrderBy(tail.orderBy, list, groupScope.withWindows(windows));
  const { limit, offset: off } = limitOf(tail, new Scope([], parent, subq, undefined, undefined, scope.level));
  // Every expression is compiled now, so the slots read are known.
  const sources: SourcePlan[] = sourcePlans.map((p) => ({ ...p, needed: p.columns.map((_, ci) => scope.level.slots.has(p.offset + ci)) }));
  return {
    kind: 'select',
    sources,
    constantFilters: conditions.constantFilters,
    width,
    aggregate: grouped ? { groupBy: groupEvaluators, groupCollations: groupTerms.map((t) => t.collation), specs } : undefined,
    having,
    projection: list.projection,
    columns: list.columns,
    affinities: list.affinities,
    collations: list.collations,
    distinct: core.distinct,
    orderBy,
    limit,
    offset: off,
    scope,
    windows: windows.finish(width + (grouped ? specs.length : 0), grouped ? groupEvaluators : []),
  };
}

/** GROUP BY terms: an output position reads that column's expression (never an aggregate), a name may be an alias. */
function compileGroupBy(terms: readonly Expr[], list: SelectList, scope: Scope, whereAliases: ReadonlyMap<string, Compiled>): GroupTerm[] {
  return terms.map((g, i) => {
    const { expr, collation } = unwrapCollate(g);
    const at = ordinalTerm(expr, i, list.projection.length, 'GROUP');
    if (at !== undefined) {
      const node = list.selectExprs[at];
      if (!node) return { evaluate: list.projection[at]!, collation: collation ?? list.collations[at] };
      if (containsAggregate(node)) throw new QueryError('aggregate functions are not allowed in the GROUP BY clause');
      const compiled = compileExpr(node, scope);
      return { evaluate: compiled.evaluate, collation: collation ?? compiled.collation?.name };
    }
    if (containsAggregate(g)) throw new QueryError('aggregate functions are not allowed in the GROUP BY clause');
    // `g` itself, not `expr`: a COLLATE written on the term is part of its value's collation.
    const compiled = compileExpr(g, scope.derive(undefined, whereAliases));
    return { evaluate: compiled.evaluate, collation: compiled.collation?.name };
  });
}

/** A GROUP BY term: its value, and the collation that says which values fall in one group. */
interface GroupTerm {
  readonly evaluate: Evaluator;
  readonly collation: CollationName | undefined;
}

/** ORDER BY terms: an output position or alias sorts by that output column, anything else by an expression over the row. */
function compileOrderBy(terms: readonly OrderingTerm[], list: SelectList, groupScope: Scope): OrderTerm[] {
  const { columns, aliases } = list;
  return terms.map((term, i) => {
    const { expr, collation } = unwrapCollate(term.expr);
    const idx =
      ordinalTerm(expr, i, columns.length) ??
      (expr.kind === 'column' && expr.table === undefined && aliases.has(expr.column.toLowerCase())
        ? columns.findIndex((c) => c.toLowerCase() === expr.column.toLowerCase())
        : undefined);
    if (idx !== undefined && idx >= 0) return makeTerm(idx, undefined, term, collation ?? list.collations[idx]);
    const compiled = compileExpr(expr, groupScope);
    return makeTerm(undefined, compiled.evaluate, term, collation ?? compiled.collation?.name);
  });
}

/** Adds the query's WITH clause to the CTEs in scope. */
function withCtes(query: Select, ctx: CompileContext): CompileContext {
  const w = query.with;
  if (!w) return ctx;
  const ctes = new Map<string, CteDef>(ctx.ctes ?? []);
  for (const cte of w.ctes) {
    const key = cte.name.toLowerCase();
    if (w.ctes.filter((c) => c.name.toLowerCase() === key).length > 1) throw new QueryError(`duplicate WITH table name: ${cte.name}`);
    // Each CTE sees the ones before it (and those of enclosing queries); under WITH RECURSIVE
    // one that names itself reads its own working table (see recursive-cte.ts).
    const recursive = w.recursive && isSelfReferencing(cte.name, cte.query);
    ctes.set(key, { query: cte.query, columns: cte.columns, scope: new Map(ctes), recursive, working: undefined });
  }
  return { ...ctx, ctes };
}
