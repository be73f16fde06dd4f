import { QueryError } from '@sochdb/core';
import type { CompoundOperator, Expr, FromClause, Select, SelectCore, ValuesCore } from '../parse/index.js';
import type { CompileContext, CompileQuery, CteDef, RowSource } from './plan-types.js';
import { Scope, type SourceColumn } from '../expr/scope.js';
import type { ReadContext } from '../exec/read-context.js';
import { runQuery } from '../exec/select-exec.js';
import { childExprs } from '../expr/walk.js';
import { rowKey, toNumeric, type SqlValue } from '../values/values.js';
import { compileExpr } from '../expr/expr.js';

type Row = SqlValue[];

/** Rows a recursive CTE may produce when the engine sets no limit (see limits.recursiveRows). */
export const DEFAULT_RECURSIVE_ROWS = 1_000_000;

const lower = (s: string) => s.toLowerCase();

/** Where a select names `cte`: directly in its FROM, or only inside a subquery (which SQLite refuses). */
function references(core: SelectCore | ValuesCore, cte: string): 'direct' | 'nested' | 'none' {
  if (core.kind === 'values') return core.rows.some((r) => r.some((e) => exprReferences(e, cte))) ? 'nested' : 'none';
  let direct = false;
  let nested = false;
  const fromItems = (from: FromClause | undefined, top: boolean) => {
    for (const j of from?.items ?? []) {
      const item = j.item;
      if (item.kind === 'table') {
        if (item.schema === undefined && lower(item.name) === cte) {
          if (top) direct = true;
          else nested = true;
        }
        for (const a of item.args ?? []) if (exprReferences(a, cte)) nested = true;
      } else if (item.kind === 'subquery') {
        if (selectReferences(item.query, cte)) nested = true;
      } else fromItems(item.from, top);
      if (j.on && exprReferences(j.on, cte)) nested = true;
    }
  };
  fromItems(core.from, true);
  const exprs = [
    ...core.columns.flatMap((c) => (c.kind === 'expr' ? [c.expr] : [])),
    ...(core.where ? [core.where] : []),
    ...core.groupBy,
    ...(core.having ? [core.having] : []),
  ];
  if (exprs.some((e) => exprReferences(e, cte))) nested = true;
  return direct ? 'direct' : nested ? 'nested' : 'none';
}

function selectReferences(query: Select, cte: string): boolean {
  // A WITH inside that redefines the name hides this CTE.
  if (query.with?.ctes.some((c) => lower(c.name) === cte)) return false;
  return [query.first, ...query.compounds.map((c) => c.core)].some((core) => references(core, cte) !== 'none');
}

function exprReferences(e: Expr, cte: string): boolean {
  if (e.kind === 'exists' || e.kind === 'subquery') return selectReferences(e.query, cte);
  if (e.kind === 'in' && e.source.kind === 'select' && selectReferences(e.source.query, cte)) return true;
  if (e.kind === 'in' && e.source.kind === 'table' && e.source.schema === undefined && lower(e.source.name) === cte) return true;
  return childExprs(e).some((c) => exprReferences(c, cte));
}

/** Whether a CTE declared under WITH RECURSIVE refers to itself (only those recurse). */
export function isSelfReferencing(name: string, query: Select): boolean {
  return selectReferences(query, lower(name));
}

const single = (core: SelectCore | ValuesCore): Select => ({ with: undefined, first: core, compounds: [], orderBy: [], limit: undefined, offset: undefined });

/**
 * A recursive CTE, `initial [UNION | UNION ALL] recursive…`, as SQLite runs it: the initial
 * select's rows go into a queue, and the recursive selects read the queued rows (the working
 * table) to produce the next ones, until none are new. Here the queue is processed a generation
 * at a time (every row of one step, then the next), which yields the same rows. UNION drops rows
 * already produced; UNION ALL keeps them, so it is the query's job to stop (a WHERE, or a LIMIT
 * on the CTE or on the one query reading it), and a recursion that never stops ends with a
 * QueryError at the engine's row limit instead of running until memory runs out.
 */
export function compileRecursiveCte(
  name: string,
  cte: CteDef,
  parent: Scope | undefined,
  ctx: CompileContext,
  compileQuery: CompileQuery,
): { rows: RowSource; columns: readonly SourceColumn[] } {
  const query = cte.query;
  const key = lower(name);
  const cores = [query.first, ...query.compounds.map((c) => c.core)];
  const kinds = cores.map((core) => references(core, key));
  if (kinds.includes('nested'))
    throw new QueryError(`recursive reference in a subquery: ${name}`, { remediation: 'Name the CTE only in the FROM clause of its recursive SELECT.' });
  const firstRecursive = kinds.indexOf('direct');
  if (firstRecursive <= 0)
    throw new QueryError(`circular reference: ${name}`, {
      remediation: 'A recursive CTE is an initial SELECT, then UNION or UNION ALL, then SELECTs that read the CTE.',
    });
  if (kinds.slice(firstRecursive).includes('none')) throw new QueryError(`the SELECTs of recursive CTE ${name} that do not read it must come first`);
  const stepOps: CompoundOperator[] = query.compounds.slice(firstRecursive - 1).map((c) => c.op);
  if (stepOps.some((op) => op !== stepOps[0] || (op !== 'UNION' && op !== 'UNION ALL'))) {
    throw new QueryError(`recursive CTE ${name} must join its recursive SELECTs with one of UNION or UNION ALL`);
  }
  if (query.orderBy.length > 0)
    throw new QueryError(`ORDER BY in recursive CTE ${name} is not supported yet`, { remediation: 'Order the rows in the query that reads the CTE.' });
  const scoped: CompileContext = { ...ctx, ctes: cte.scope };
  const initialQuery: Select = {
    with: undefined,
    first: cores[0]!,
    compounds: query.compounds.slice(0, firstRecursive - 1),
    orderBy: [],
    limit: undefined,
    offset: undefined,
  };
  const initial = compileQuery(initialQuery, parent, scoped);
  if (cte.columns && cte.columns.length !== initial.columns.length) {
    throw new QueryError(`table ${name} has ${initial.columns.length} values for ${cte.columns.length} columns`);
  }
  const columns: SourceColumn[] = initial.columns.map((c, i) => ({ name: cte.columns?.[i] ?? c, affinity: initial.affinities[i] }));
  let working: readonly Row[] = [];
  const workingRows: RowSource = async () => working;
  const stepCtx: CompileContext = { ...scoped, ctes: new Map([...(cte.scope ?? []), [key, { ...cte, working: { rows: workingRows, columns } }]]) };
  const steps = cores.slice(firstRecursive).map((core) => {
    const plan = compileQuery(single(core), parent, stepCtx);
    if (plan.kind === 'select' && plan.aggregate) throw new QueryError(`recursive aggregate queries not supported: ${name}`);
    if (plan.kind === 'select' && plan.windows)
      throw new QueryError('cannot use window functions in recursive queries', { remediation: 'Number the rows in the query that reads the CTE.' });
    if (plan.columns.length !== columns.length)
      throw new QueryError(`SELECTs to the left and right of ${stepOps[0]} do not have the same number of result columns`);
    return plan;
  });
  const unionAll = stepOps[0] === 'UNION ALL';
  const constScope = new Scope([], parent, () => {
    throw new QueryError('subqueries are not allowed in the LIMIT of a recursive CTE');
  });
  const limit = query.limit ? compileExpr(query.limit, constScope).evaluate : undefined;
  const offset = query.offset ? compileExpr(query.offset, constScope).evaluate : undefined;
  const maxRows = ctx.recursiveRows ?? DEFAULT_RECURSIVE_ROWS;
  const rows: RowSource = async (env, rc: ReadContext, atMost) => {
    const count = (f: typeof limit) => {
      const n = f ? toNumeric(f(env)) : null;
      return n === null ? -1 : Number(n);
    };
    const lim = count(limit);
    const skip = Math.max(0, count(offset));
    // Rows needed: the CTE's own LIMIT, or what the reading query asked for.
    const wanted = Math.min(lim >= 0 ? skip + lim : Infinity, atMost === Infinity ? Infinity : skip + atMost);
    const seen = unionAll ? undefined : new Set<string>();
    const fresh = (candidates: readonly Row[]): Row[] => {
      if (!seen) return candidates as Row[];
      const out: Row[] = [];
      for (const r of candidates) {
        const k = rowKey(r);
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(r);
      }
      return out;
    };
    const out: Row[] = [];
    let queue = fresh(await runQuery(initial, env, rc));
    for (;;) {
      for (const r of queue) {
        if (out.length >= wanted) break;
        out.push(r);
      }
      if (queue.length === 0 || out.length >= wanted) break;
      if (out.length > maxRows) {
        throw new QueryError(`recursive CTE ${name} produced more than ${maxRows} rows`, {
          remediation: 'Stop the recursion with a WHERE or a LIMIT, or raise limits.recursiveRows.',
        });
      }
      working = queue;
      const next: Row[] = [];
      for (const step of steps) for (const r of await runQuery(step, env, rc)) next.push(r);
      queue = fresh(next);
    }
    working = [];
    return out.slice(skip);
  };
  return { rows, columns };
}
