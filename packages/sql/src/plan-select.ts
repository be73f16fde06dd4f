import { QueryError } from '@sochdb/core';
import { FULL_SCAN } from './access.js';
import { checkAggregate, type AggregateSpec } from './aggregates.js';
import { collationOf, comparator, type CollationName } from './collation.js';
import { columnRef, compileExpr, containsAggregate } from './expr.js';
import type { Expr, OrderingTerm, ResultColumn, Select, SelectCore, ValuesCore } from './parse/index.js';
import { analyse, chooseAccess, conjunctsOf, joinKeys, searchArguments } from './plan-access.js';
import { compileFrom } from './plan-from.js';
import type { CompileContext, CteDef, MemberPlan, OrderTerm, QueryPlan, SelectPlan, SourcePlan, ValuesPlan } from './plan-types.js';
import { Scope, type AggregateSink, type Compiled, type Evaluator, type SubqueryHandle } from './scope.js';
import { runQuerySync } from './select-exec.js';
import { someExpr } from './walk.js';
import { constantValue } from './constant.js';
import { isSelfReferencing } from './recursive-cte.js';
import type { SortDirection } from './sort-keys.js';
import type { Affinity, SqlValue } from './values.js';

/** Ordering and limits that belong to the query being compiled (not to one compound member). */
interface Tail {
  readonly orderBy: readonly OrderingTerm[];
  readonly limit: Expr | undefined;
  readonly offset: Expr | undefined;
}

const NO_TAIL: Tail = { orderBy: [], limit: undefined, offset: undefined };

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
  return { kind: 'compound', members, operators: query.compounds.map((c) => c.op), orderBy, limit, offset, columns, affinities: members[0]!.affinities };
}

function ordinal(i: number): string {
  const n = i + 1;
  const suffix = n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/**
 * The integer an ORDER BY / GROUP BY term stands for, read as SQLite's parser folds it: a literal,
 * `+n`, `-n`, and `literal IS [NOT] NULL` (which SQLite turns into the integer 0 or 1).
 */
export function integerTerm(e: Expr): bigint | undefined {
  if (e.kind === 'unary' && (e.op === '+' || e.op === '-')) {
    const v = integerTerm(e.operand);
    return v === undefined ? undefined : e.op === '-' ? -v : v;
  }
  return foldedInteger(e);
}

/** The integer literals SQLite's parser makes: `x IS NULL` on a literal, and `… AND 0`. */
function foldedInteger(e: Expr): bigint | undefined {
  if (e.kind === 'literal') return typeof e.value === 'bigint' ? e.value : undefined;
  if (e.kind === 'binary' && (e.op === 'IS' || e.op === 'IS NOT') && e.right.kind === 'literal' && e.right.value === null && nonNullLiteral(e.left)) {
    return e.op === 'IS' ? 0n : 1n;
  }
  // An AND with an operand that is the integer 0 is folded to 0 (sqlite3ExprAnd), unless a side
  // calls a function (LIKE and GLOB are functions there).
  if (e.kind === 'binary' && e.op === 'AND' && (foldedInteger(e.left) === 0n || foldedInteger(e.right) === 0n) && !someExpr(e, (x) => x.kind === 'function' || x.kind === 'like')) return 0n;
  return undefined;
}

/** A literal that is not NULL, possibly under unary + / - (what SQLite's parser folds IS NULL on). */
function nonNullLiteral(e: Expr): boolean {
  if (e.kind === 'literal') return e.value !== null;
  return e.kind === 'unary' && (e.op === '+' || e.op === '-') && nonNullLiteral(e.operand);
}

/** `ORDER BY 2`: the output column, checked against the range SQLite allows. */
function ordinalTerm(e: Expr, i: number, width: number, clause = 'ORDER'): number | undefined {
  const k = integerTerm(e);
  if (k === undefined) return undefined;
  if (k < 1n || k > BigInt(width)) throw new QueryError(`${ordinal(i)} ${clause} BY term out of range - should be between 1 and ${width}`);
  return Number(k) - 1;
}

function unwrapCollate(e: Expr): { expr: Expr; collation: CollationName | undefined } {
  return e.kind === 'collate' ? { expr: e.operand, collation: collationOf(e.collation) } : { expr: e, collation: undefined };
}

function sortDirection(term: OrderingTerm, collation: CollationName | undefined): SortDirection {
  return { desc: term.desc, nullsFirst: term.nulls === undefined ? !term.desc : term.nulls === 'FIRST', compare: comparator(collation) };
}

function makeTerm(outputIndex: number | undefined, evaluate: Evaluator | undefined, term: OrderingTerm, collation: CollationName | undefined): OrderTerm {
  return { outputIndex, evaluate, ...sortDirection(term, collation) };
}

const sameExpr = (a: Expr, b: Expr) => JSON.stringify(a, bigintSafe) === JSON.stringify(b, bigintSafe);
const bigintSafe = (_: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `x${Buffer.from(v).toString('hex')}` : v);

/**
 * A compound's ORDER BY term must name an output column: by position, by a member's column
 * name or alias (any member, leftmost first, as SQLite searches), or by repeating a member's
 * result expression.
 */
function compoundOrderTerm(term: OrderingTerm, i: number, query: Select, members: readonly MemberPlan[]): OrderTerm {
  const { expr, collation } = unwrapCollate(term.expr);
  const width = members[0]!.columns.length;
  let idx = ordinalTerm(expr, i, width);
  if (idx === undefined && expr.kind === 'column' && expr.table === undefined) {
    const name = expr.column.toLowerCase();
    for (const m of members) {
      const k = m.columns.findIndex((c) => c.toLowerCase() === name);
      if (k >= 0) {
        idx = k;
        break;
      }
    }
  }
  if (idx === undefined) {
    const cores = [query.first, ...query.compounds.map((c) => c.core)];
    for (const core of cores) {
      if (core.kind !== 'select') continue;
      const k = core.columns.findIndex((c) => c.kind === 'expr' && sameExpr(c.expr, expr));
      if (k >= 0) {
        idx = k;
        break;
      }
    }
  }
  if (idx === undefined) throw new QueryError(`${ordinal(i)} ORDER BY term does not match any column in the result set`, { remediation: 'Order by a result column name or its position (ORDER BY 1).' });
  return makeTerm(idx, undefined, term, collation);
}

function limitOf(tail: Tail, scope: Scope): { limit: Evaluator | undefined; offset: Evaluator | undefined } {
  const compile = (e: Expr | undefined) => (e ? compileExpr(e, scope).evaluate : undefined);
  return { limit: compile(tail.limit), offset: compile(tail.offset) };
}

export function makeSubqueryCompiler(ctx: CompileContext): (query: Select, scope: Scope) => SubqueryHandle {
  return (query, scope) => {
    const plan = compileQuery(query, scope, ctx);
    const correlated = plan.kind === 'select' ? plan.scope.correlated : plan.members.some((m) => m.scope.correlated);
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
  const rows = core.rows.map((r) => {
    if (r.length !== width) throw new QueryError('all VALUES must have the same number of terms');
    return r.map((e) => compileExpr(e, scope).evaluate);
  });
  const columns = Array.from({ length: width }, (_, i) => `column${i + 1}`);
  return { kind: 'values', rows, columns, affinities: columns.map(() => undefined), scope };
}

function compileSelect(core: SelectCore, parent: Scope | undefined, ctx: CompileContext, tail: Tail): SelectPlan {
  const subq = makeSubqueryCompiler(ctx);
  if (core.windows.length > 0) throw new QueryError('window functions are not supported yet (WINDOW clause)', { remediation: 'Compute the window in a subquery with GROUP BY, or in application code.' });
  // 1. FROM: sources, joins and their row layout.
  const from = compileFrom(core.from, parent, ctx, { compileQuery, constant: constantValue });
  const scope = new Scope(from.scopeSources, parent, subq);
  const partial = from.sources;

  // 2. Select list (needed first: WHERE, GROUP BY, HAVING and ORDER BY may use its aliases).
  const specs: AggregateSpec[] = [];
  const width = from.width;
  const grouped =
    core.groupBy.length > 0 ||
    core.columns.some((c) => c.kind === 'expr' && containsAggregate(c.expr)) ||
    containsAggregate(core.having) ||
    tail.orderBy.some((o) => containsAggregate(o.expr));
  if (core.having && !grouped) throw new QueryError('a GROUP BY clause is required before HAVING', { remediation: 'Add GROUP BY, or move the condition to WHERE.' });
  const sink: AggregateSink = {
    add: (call, at) => {
      checkAggregate(call.name, call.args.length, call.star);
      if (call.args.some(containsAggregate)) throw new QueryError(`misuse of aggregate function ${call.name}()`, { remediation: 'Aggregates cannot be nested.' });
      const base = at.derive(undefined);
      specs.push({
        name: call.name,
        args: call.args.map((a) => compileExpr(a, base).evaluate),
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
  const outScope = scope.derive(grouped ? sink : undefined);
  const projection: Evaluator[] = [];
  const columns: string[] = [];
  const affinities: (Affinity | undefined)[] = [];
  const selectExprs: (Expr | undefined)[] = [];
  const aliases = new Map<string, Compiled>();
  const aggregateAliases = new Set<string>();
  const expandStar = (table: string | undefined) => {
    if (from.sources.length === 0) throw new QueryError('no tables specified');
    const t = table?.toLowerCase();
    const si = t === undefined ? -1 : from.scopeSources.findIndex((s) => s.alias === t);
    if (t !== undefined && si < 0) throw new QueryError(`no such table: ${table}`);
    for (const c of t === undefined ? from.star : from.tableStar(si)) {
      const compiled = c.byName ? columnRef(undefined, c.name, scope) : undefined;
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
  core.columns.forEach((item: ResultColumn) => {
    if (item.kind === 'star') return expandStar(undefined);
    if (item.kind === 'tableStar') return expandStar(item.table);
    const compiled = compileExpr(item.expr, outScope);
    projection.push(compiled.evaluate);
    affinities.push(compiled.affinity);
    columns.push(item.alias ?? columnNameOf(item.expr, item.text, scope));
    selectExprs.push(item.expr);
    if (item.alias) {
      aliases.set(item.alias.toLowerCase(), compiled);
      if (containsAggregate(item.expr)) aggregateAliases.add(item.alias.toLowerCase());
    }
  });

  // 3. WHERE and ON conditions, placed at the first join level where every source they read is
  //    present, and never below a RIGHT or FULL join (whose NULL-extended rows they must see).
  const whereAliases = new Map([...aliases].filter(([k]) => !aggregateAliases.has(k)));
  const condScope = scope.derive(undefined, whereAliases);
  const where = conjunctsOf(core.where);
  if (where.some(containsAggregate)) throw new QueryError('misuse of aggregate function in WHERE', { remediation: 'Filter groups with HAVING instead.' });
  const filtersAt: Evaluator[][] = partial.map(() => []);
  const matchAt: Evaluator[][] = partial.map(() => []);
  const constantFilters: Evaluator[] = [];
  const placed = new Map<Expr, Evaluator>();
  const lastPreserving = partial.reduce((at, p, j) => (p.right ? j : at), -1);
  const place = (n: Expr, asMatch: boolean, minLevel: number) => {
    if (containsAggregate(n)) throw new QueryError('misuse of aggregate function in ON', { remediation: 'Aggregates are not allowed in join conditions.' });
    const { compiled, uses } = analyse(n, condScope);
    placed.set(n, compiled.evaluate);
    const level = Math.max(minLevel, ...uses, -1);
    if (level < 0) constantFilters.push(compiled.evaluate);
    else (asMatch ? matchAt : filtersAt)[level]!.push(compiled.evaluate);
  };
  const onConjuncts = partial.map((p) => p.on.flatMap((e) => conjunctsOf(e)));
  partial.forEach((p, j) => onConjuncts[j]!.forEach((c) => place(c, p.left || p.right, j)));
  where.forEach((c) => place(c, false, lastPreserving));

  // 4. Access paths, key lookups and hash-join keys per source.
  const sourcePlans: Omit<SourcePlan, 'needed'>[] = partial.map((p, j) => {
    // An outer join's ON decides matches, never which rows of a kept side exist.
    const restricting = p.right ? where : p.left ? onConjuncts[j]! : [...where, ...onConjuncts.slice(0, j + 1).flat()];
    const sargs = p.table ? searchArguments(restricting, condScope, j, p.table) : [];
    const names = p.table?.columns.map((c) => c.name) ?? [];
    const access = p.table ? chooseAccess(p.table, sargs.filter((s) => s.uses.size === 0), names, p.indexedBy) : FULL_SCAN;
    const lookupPath = p.table && j > 0 && !p.right ? chooseAccess(p.table, sargs, names, p.indexedBy) : FULL_SCAN;
    const sameAsAccess = lookupPath.kind === access.kind && lookupPath.index === access.index && lookupPath.detail === access.detail;
    const lookup = lookupPath.kind !== 'scan' && !sameAsAccess ? lookupPath : undefined;
    if (typeof p.indexedBy === 'string' && access.index?.name.toLowerCase() !== p.indexedBy.toLowerCase() && lookup?.index?.name.toLowerCase() !== p.indexedBy.toLowerCase()) {
      throw new QueryError(`no query solution: index ${p.indexedBy} cannot be used for ${p.alias}`, { remediation: 'Drop INDEXED BY, or add a condition on the index\'s leading column.' });
    }
    const hashKeys = j > 0 ? joinKeys(p.left || p.right ? onConjuncts[j]! : [...where, ...onConjuncts.slice(0, j + 1).flat()], condScope, j) : [];
    const hashFilter = hashKeys.length === 1 && !p.left && !p.right ? placed.get(hashKeys[0]!.conjunct) : undefined;
    const hashResidual = hashFilter && filtersAt[j]!.includes(hashFilter) ? filtersAt[j]!.filter((f) => f !== hashFilter) : undefined;
    return {
      alias: p.alias,
      table: p.table,
      derived: p.derived,
      rowSource: p.rowSource,
      columns: from.scopeSources[j]!.columns,
      offset: p.offset,
      left: p.left,
      right: p.right,
      access,
      lookup,
      hashKeys,
      match: matchAt[j]!,
      filters: filtersAt[j]!,
      hashResidual,
      defaults: p.defaults,
    };
  });

  // 5. GROUP BY, HAVING, ORDER BY, LIMIT.
  const groupScope = scope.derive(grouped ? sink : undefined, aliases);
  const groupEvaluators = core.groupBy.map((g, i) => {
    const { expr } = unwrapCollate(g);
    const at = ordinalTerm(expr, i, projection.length, 'GROUP');
    if (at !== undefined) {
      const node = selectExprs[at];
      if (!node) return projection[at]!;
      if (containsAggregate(node)) throw new QueryError('aggregate functions are not allowed in the GROUP BY clause');
      return compileExpr(node, scope).evaluate;
    }
    if (containsAggregate(g)) throw new QueryError('aggregate functions are not allowed in the GROUP BY clause');
    return compileExpr(g, scope.derive(undefined, whereAliases)).evaluate;
  });
  const having = core.having ? compileExpr(core.having, groupScope).evaluate : undefined;
  const orderBy: OrderTerm[] = tail.orderBy.map((term, i) => {
    const { expr, collation } = unwrapCollate(term.expr);
    const idx = ordinalTerm(expr, i, columns.length) ?? (expr.kind === 'column' && expr.table === undefined && aliases.has(expr.column.toLowerCase()) ? columns.findIndex((c) => c.toLowerCase() === expr.column.toLowerCase()) : undefined);
    if (idx !== undefined && idx >= 0) return makeTerm(idx, undefined, term, collation);
    const compiled = compileExpr(expr, groupScope);
    return makeTerm(undefined, compiled.evaluate, term, collation ?? compiled.collation?.name);
  });
  const { limit, offset: off } = limitOf(tail, new Scope([], parent, subq, undefined, undefined, scope.level));
  // Every expression is compiled now, so the slots read are known.
  const sources: SourcePlan[] = sourcePlans.map((p) => ({ ...p, needed: p.columns.map((_, ci) => scope.level.slots.has(p.offset + ci)) }));
  return {
    kind: 'select',
    sources,
    constantFilters,
    width,
    aggregate: grouped ? { groupBy: groupEvaluators, specs } : undefined,
    having,
    projection,
    columns,
    affinities,
    distinct: core.distinct,
    orderBy,
    limit,
    offset: off,
    scope,
  };
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
