import { QueryError } from '@sochdb/core';
import { FULL_SCAN } from './access.js';
import { checkAggregate, type AggregateSpec } from './aggregates.js';
import { child, children, columnName, isNode, text, type Node } from './ast.js';
import { compileExpr, containsAggregate } from './expr.js';
import type { Query, SetOperator } from './parse.js';
import { analyse, chooseAccess, conjunctsOf, joinKeys, searchArguments } from './plan-access.js';
import type { CompileContext, OrderTerm, QueryPlan, SelectPlan, SourcePlan } from './plan-types.js';
import { storedDefaults } from './schema.js';
import { Scope, type AggregateSink, type Compiled, type Evaluator, type ScopeSource, type SubqueryHandle } from './scope.js';
import { runQuerySync } from './select-exec.js';
import type { SqlValue } from './values.js';

/** A subquery AST (possibly a `_next` chain of set operations) as a Query. */
export function queryOfSelect(ast: Node): Query {
  const members: Node[] = [];
  const operators: SetOperator[] = [];
  let cur: Node | undefined = ast;
  while (cur) {
    members.push(cur);
    const next = child(cur, '_next');
    if (next) operators.push(((text(cur, 'set_op') ?? 'union').toUpperCase().replace(/\s+/g, ' ')) as SetOperator);
    cur = next;
  }
  const last = members[members.length - 1]!;
  if (members.length === 1) return { members, operators, orderBy: [], limit: undefined, columnTexts: [] };
  return { members, operators, orderBy: children(last, 'orderby'), limit: isNode(last['limit']) ? last['limit'] : undefined, columnTexts: [] };
}

export function compileQuery(query: Query, parent: Scope | undefined, ctx: CompileContext): QueryPlan {
  if (query.members.length === 1) return compileSelect(query.members[0]!, parent, ctx, query.columnTexts[0] ?? [], true);
  const members = query.members.map((m, i) => compileSelect(m, parent, ctx, query.columnTexts[i] ?? [], false));
  const width = members[0]!.columns.length;
  if (members.some((m) => m.columns.length !== width)) {
    throw new QueryError('SELECTs to the left and right of a set operator do not have the same number of result columns');
  }
  const columns = members[0]!.columns;
  const orderBy: OrderTerm[] = query.orderBy.map((o) => {
    const e = child(o, 'expr')!;
    const idx = outputIndexOf(e, columns);
    if (idx === undefined) throw new QueryError('ORDER BY term of a compound SELECT must match a result column', { remediation: 'Order by a result column name or its position (ORDER BY 1).' });
    return { outputIndex: idx, evaluate: undefined, desc: (text(o, 'type') ?? '').toUpperCase() === 'DESC' };
  });
  const constScope = new Scope([], parent, makeSubqueryCompiler(ctx));
  const { limit, offset } = limitOf(query.limit, constScope);
  return { kind: 'compound', members, operators: query.operators, orderBy, limit, offset, columns };
}

function outputIndexOf(e: Node, columns: readonly string[]): number | undefined {
  if (e.type === 'number') {
    const k = Number(e['value']);
    if (!Number.isInteger(k) || k < 1 || k > columns.length) throw new QueryError(`ORDER BY term out of range - should be between 1 and ${columns.length}`);
    return k - 1;
  }
  if (e.type === 'column_ref' && !text(e, 'table')) {
    const name = (columnName(e['column']) ?? '').toLowerCase();
    const i = columns.findIndex((c) => c.toLowerCase() === name);
    return i < 0 ? undefined : i;
  }
  return undefined;
}

function limitOf(limit: unknown, scope: Scope): { limit: Evaluator | undefined; offset: Evaluator | undefined } {
  if (!isNode(limit)) return { limit: undefined, offset: undefined };
  const values = children(limit, 'value');
  if (values.length === 0) return { limit: undefined, offset: undefined };
  const sep = text(limit, 'seperator') ?? '';
  const compile = (n: Node | undefined) => (n ? compileExpr(n, scope).evaluate : undefined);
  // `LIMIT a, b` means offset a, limit b (MySQL/SQLite form).
  if (sep === ',') return { limit: compile(values[1]), offset: compile(values[0]) };
  return { limit: compile(values[0]), offset: compile(values[1]) };
}

export function makeSubqueryCompiler(ctx: CompileContext): (ast: Node, scope: Scope) => SubqueryHandle {
  return (ast, scope) => {
    const plan = compileQuery(queryOfSelect(ast), scope, ctx);
    const correlated = plan.kind === 'select' ? plan.scope.correlated : plan.members.some((m) => m.scope.correlated);
    const id = ctx.subqueries.length;
    ctx.subqueries.push({ id, plan, correlated });
    return {
      columnCount: plan.columns.length,
      rows: (env, limit) => {
        const prepared = env.rt.subqueries.get(id);
        if (!correlated) return prepared as SqlValue[][];
        return runQuerySync(plan, env, prepared as Map<SourcePlan, SqlValue[][]>, limit);
      },
    };
  };
}

function compileSelect(ast: Node, parent: Scope | undefined, outerCtx: CompileContext, columnTexts: readonly string[], ownOrder: boolean): SelectPlan {
  const ctx = withCtes(ast, outerCtx);
  const subq = makeSubqueryCompiler(ctx);
  // 1. FROM: sources and their row layout.
  const from = children(ast, 'from');
  const scopeSources: ScopeSource[] = [];
  const partial: { alias: string; table: SourcePlan['table']; derived: SourcePlan['derived']; left: boolean; on: Node | undefined; offset: number; defaults: SqlValue[] }[] = [];
  let offset = 0;
  for (const item of from) {
    const tableName = text(item, 'table');
    const sub = child(item, 'expr');
    const joinText = (text(item, 'join') ?? '').toUpperCase();
    if (joinText.includes('RIGHT') || joinText.includes('FULL')) throw new QueryError(`${joinText} is not supported`, { remediation: 'Rewrite it as a LEFT JOIN with the tables swapped.' });
    const left = joinText.includes('LEFT');
    let alias: string;
    let columns: { name: string; affinity: SqlValueAffinity }[];
    let table: SourcePlan['table'];
    let derived: SourcePlan['derived'];
    if (sub && isNode(sub['ast'])) {
      derived = compileQuery(queryOfSelect(sub['ast']), parent, ctx);
      alias = (text(item, 'as') ?? `subquery_${partial.length}`).toLowerCase();
      columns = derived.columns.map((name) => ({ name, affinity: undefined }));
    } else if (tableName && ctx.ctes?.has(tableName.toLowerCase())) {
      // A common table expression reads like a subquery in FROM (non-recursive, evaluated once).
      derived = compileQuery(queryOfSelect(ctx.ctes.get(tableName.toLowerCase())!), parent, ctx);
      alias = (text(item, 'as') ?? tableName).toLowerCase();
      columns = derived.columns.map((name) => ({ name, affinity: undefined }));
    } else if (tableName) {
      table = ctx.table(tableName);
      if (!table) throw new QueryError(`no such table: ${tableName}`, { remediation: 'Create it with CREATE TABLE, or check the name.' });
      alias = (text(item, 'as') ?? tableName).toLowerCase();
      columns = table.columns.map((c) => ({ name: c.name, affinity: c.affinity }));
    } else throw new QueryError('unsupported FROM item');
    if (scopeSources.some((s) => s.alias === alias)) throw new QueryError(`ambiguous table alias: ${alias}`, { remediation: 'Give each FROM item a distinct alias.' });
    scopeSources.push({ alias, columns, offset });
    const defaults = table ? storedDefaults(table, (e) => constantValue(e)) : [];
    partial.push({ alias, table, derived, left, on: child(item, 'on'), offset, defaults });
    offset += columns.length;
  }
  const scope = new Scope(scopeSources, parent, subq);

  // 2. Select list (needed first: WHERE, GROUP BY, HAVING and ORDER BY may use its aliases).
  const specs: AggregateSpec[] = [];
  const width = offset;
  const grouped = hasGroupBy(ast) || children(ast, 'columns').some((c) => containsAggregate(c['expr'])) || containsAggregate(ast['having']) || (ownOrder && children(ast, 'orderby').some((o) => containsAggregate(o['expr'])));
  const sink: AggregateSink = {
    add: (name, args, distinct, star, at) => {
      checkAggregate(name, args.length, star);
      if (args.some(containsAggregate)) throw new QueryError(`misuse of aggregate function ${name}()`, { remediation: 'Aggregates cannot be nested.' });
      const base = at.derive(undefined);
      specs.push({ name, args: args.map((a) => compileExpr(a, base).evaluate), distinct, star });
      return width + specs.length - 1;
    },
  };
  const outScope = scope.derive(grouped ? sink : undefined);
  const projection: Evaluator[] = [];
  const columns: string[] = [];
  const selectNodes: (Node | undefined)[] = [];
  const aliases = new Map<string, Compiled>();
  const items = children(ast, 'columns');
  items.forEach((item, i) => {
    const expr = child(item, 'expr')!;
    if (expr.type === 'column_ref' && columnName(expr['column']) === '*') {
      const t = text(expr, 'table')?.toLowerCase();
      const chosen = scopeSources.filter((s) => t === undefined || s.alias === t);
      if (t !== undefined && chosen.length === 0) throw new QueryError(`no such table: ${t}`);
      if (scopeSources.length === 0) throw new QueryError('no tables specified for SELECT *');
      for (const s of chosen) {
        s.columns.forEach((c, ci) => {
          const slot = s.offset + ci;
          scope.level.slots.add(slot);
          projection.push((env) => env.row[slot]!);
          columns.push(c.name);
          selectNodes.push(undefined);
        });
      }
      return;
    }
    const compiled = compileExpr(expr, outScope);
    projection.push(compiled.evaluate);
    const as = text(item, 'as');
    columns.push(as ?? (expr.type === 'column_ref' ? (columnName(expr['column']) ?? '') : (columnTexts[i] ?? `column${i + 1}`)));
    selectNodes.push(expr);
    if (as) aliases.set(as.toLowerCase(), compiled);
  });

  // 3. WHERE and ON conditions, placed at the first join level where every source they read is present.
  const whereAliases = new Map([...aliases].filter(([k]) => !containsAggregate(selectNodes[columns.findIndex((c) => c.toLowerCase() === k)])));
  const condScope = scope.derive(undefined, whereAliases);
  const where = conjunctsOf(child(ast, 'where'));
  if (where.some(containsAggregate)) throw new QueryError('misuse of aggregate function in WHERE', { remediation: 'Filter groups with HAVING instead.' });
  const filtersAt: Evaluator[][] = partial.map(() => []);
  const matchAt: Evaluator[][] = partial.map(() => []);
  const constantFilters: Evaluator[] = [];
  const placed = new Map<Node, Evaluator>();
  const place = (n: Node, asMatch: boolean, minLevel: number) => {
    const { compiled, uses } = analyse(n, condScope);
    placed.set(n, compiled.evaluate);
    const level = Math.max(minLevel, ...uses, -1);
    if (level < 0) constantFilters.push(compiled.evaluate);
    else (asMatch ? matchAt : filtersAt)[level]!.push(compiled.evaluate);
  };
  const onConjuncts = partial.map((p) => conjunctsOf(p.on));
  partial.forEach((p, j) => onConjuncts[j]!.forEach((c) => place(c, p.left, j)));
  where.forEach((c) => place(c, false, -1));

  // 4. Access paths, key lookups and hash-join keys per source.
  const sourcePlans: Omit<SourcePlan, 'needed'>[] = partial.map((p, j) => {
    const usable = p.left ? onConjuncts[j]! : [...where, ...onConjuncts.slice(0, j + 1).flat()];
    const sargs = p.table ? searchArguments(usable, condScope, j, p.table) : [];
    const names = p.table?.columns.map((c) => c.name) ?? [];
    const access = p.table ? chooseAccess(p.table, sargs.filter((s) => s.uses.size === 0), names) : FULL_SCAN;
    const lookupPath = p.table && j > 0 ? chooseAccess(p.table, sargs, names) : FULL_SCAN;
    const sameAsAccess = lookupPath.kind === access.kind && lookupPath.index === access.index && lookupPath.detail === access.detail;
    const lookup = lookupPath.kind !== 'scan' && !sameAsAccess ? lookupPath : undefined;
    const hashKeys = j > 0 ? joinKeys(usable, condScope, j) : [];
    const hashFilter = hashKeys.length === 1 && !p.left ? placed.get(hashKeys[0]!.conjunct) : undefined;
    const hashResidual = hashFilter && filtersAt[j]!.includes(hashFilter) ? filtersAt[j]!.filter((f) => f !== hashFilter) : undefined;
    return {
      alias: p.alias,
      table: p.table,
      derived: p.derived,
      columns: scopeSources[j]!.columns,
      offset: p.offset,
      left: p.left,
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
  const sources: SourcePlan[] = [];
  const groupScope = scope.derive(grouped ? sink : undefined, aliases);
  const groupBy = groupByColumns(ast);
  const groupEvaluators = groupBy.map((g) => {
    if (g.type === 'number') {
      const k = Number(g['value']);
      if (k < 1 || k > projection.length) throw new QueryError(`GROUP BY term out of range - should be between 1 and ${projection.length}`);
      const node = selectNodes[k - 1];
      if (!node) return projection[k - 1]!;
      return compileExpr(node, scope).evaluate;
    }
    if (containsAggregate(g)) throw new QueryError('aggregate functions are not allowed in the GROUP BY clause');
    return compileExpr(g, scope.derive(undefined, whereAliases)).evaluate;
  });
  const havingNode = child(ast, 'having');
  const having = havingNode ? compileExpr(havingNode, groupScope).evaluate : undefined;
  const orderBy: OrderTerm[] = ownOrder
    ? children(ast, 'orderby').map((o) => {
        const e = child(o, 'expr')!;
        const desc = (text(o, 'type') ?? '').toUpperCase() === 'DESC';
        const idx = e.type === 'number' ? outputIndexOf(e, columns) : e.type === 'column_ref' && !text(e, 'table') && aliases.has((columnName(e['column']) ?? '').toLowerCase()) ? outputIndexOf(e, columns) : undefined;
        if (idx !== undefined) return { outputIndex: idx, evaluate: undefined, desc };
        return { outputIndex: undefined, evaluate: compileExpr(e, groupScope).evaluate, desc };
      })
    : [];
  const { limit, offset: off } = ownOrder ? limitOf(ast['limit'], new Scope([], parent, subq, undefined, undefined, scope.level)) : { limit: undefined, offset: undefined };
  // Every expression is compiled now, so the slots read are known.
  for (const p of sourcePlans) sources.push({ ...p, needed: p.columns.map((_, ci) => scope.level.slots.has(p.offset + ci)) });
  return {
    kind: 'select',
    sources,
    constantFilters,
    width,
    aggregate: grouped ? { groupBy: groupEvaluators, specs } : undefined,
    having,
    projection,
    columns,
    distinct: (text(ast, 'distinct') ?? '').toUpperCase() === 'DISTINCT' || (isNode(ast['distinct']) && text(ast['distinct'], 'type') === 'DISTINCT'),
    orderBy,
    limit,
    offset: off,
    scope,
  };
}

/** Adds the query's WITH clause to the CTEs in scope. */
function withCtes(ast: Node, ctx: CompileContext): CompileContext {
  const list = Array.isArray(ast['with']) ? ast['with'].filter(isNode) : [];
  if (list.length === 0) return ctx;
  const ctes = new Map(ctx.ctes ?? []);
  const scoped: CompileContext = { ...ctx, ctes };
  for (const cte of list) {
    if (cte['recursive']) throw new QueryError('WITH RECURSIVE is not supported');
    const nameNode = cte['name'];
    const name = (isNode(nameNode) ? text(nameNode, 'value') : typeof nameNode === 'string' ? nameNode : undefined)?.toLowerCase();
    const stmt = child(cte, 'stmt');
    const select = stmt && isNode(stmt['ast']) ? stmt['ast'] : stmt;
    if (!name || !select) throw new QueryError('malformed WITH clause');
    if (children(cte, 'columns').length > 0) throw new QueryError('column lists in WITH are not supported', { remediation: 'Name the columns with AS inside the CTE instead.' });
    ctes.set(name, select);
  }
  return scoped;
}

type SqlValueAffinity = ScopeSource['columns'][number]['affinity'];

function hasGroupBy(ast: Node): boolean {
  return groupByColumns(ast).length > 0;
}

function groupByColumns(ast: Node): Node[] {
  const g = ast['groupby'];
  return isNode(g) ? children(g, 'columns') : Array.isArray(g) ? g.filter(isNode) : [];
}

/** Evaluates a constant expression (a DEFAULT) without any row. */
export function constantValue(n: Node | undefined): SqlValue {
  if (!n) return null;
  const scope = new Scope([], undefined, () => {
    throw new QueryError('subqueries are not allowed in DEFAULT');
  });
  return compileExpr(n, scope).evaluate({ row: [], outer: undefined, rt: { params: { positional: [], named: new Map() }, subqueries: new Map() } });
}
