import type { Expr } from '../parse/index.js';

/**
 * The sub-expressions of `e` evaluated in the same query (not inside its subqueries, which are
 * queries of their own): what "does this expression contain an aggregate / read this source"
 * questions walk.
 */
export function childExprs(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'literal':
    case 'column':
    case 'param':
    case 'exists':
    case 'subquery':
      return [];
    case 'unary':
    case 'cast':
    case 'collate':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'like':
      return e.escape ? [e.operand, e.pattern, e.escape] : [e.operand, e.pattern];
    case 'between':
      return [e.operand, e.low, e.high];
    case 'in':
      return e.source.kind === 'list' ? [e.operand, ...e.source.items] : e.source.kind === 'table' ? [e.operand, ...(e.source.args ?? [])] : [e.operand];
    case 'case': {
      const out: Expr[] = e.operand ? [e.operand] : [];
      for (const w of e.whens) out.push(w.when, w.then);
      if (e.otherwise) out.push(e.otherwise);
      return out;
    }
    case 'function': {
      const out: Expr[] = [...e.args];
      if (e.filter) out.push(e.filter);
      for (const o of e.orderBy) out.push(o.expr);
      // A window's PARTITION BY and ORDER BY are evaluated in the same query (over its groups).
      if (e.over) out.push(...e.over.partitionBy, ...e.over.orderBy.map((o) => o.expr));
      return out;
    }
    case 'row':
      return e.items;
    case 'raise':
      return e.message ? [e.message] : [];
  }
}

/** Whether `test` holds for `e` or any sub-expression of the same query. */
export function someExpr(e: Expr, test: (x: Expr) => boolean): boolean {
  if (test(e)) return true;
  for (const c of childExprs(e)) if (someExpr(c, test)) return true;
  return false;
}
