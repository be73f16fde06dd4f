import { QueryError } from '@sochdb/core';
import { child, children, isNode, text, type Node } from './ast.js';
import { compileExpr, subqueryOf } from './expr.js';
import { currentTime, SCALAR_FUNCTIONS } from './functions.js';
import type { Compiled, Scope } from './scope.js';
import { truth, type SqlValue } from './values.js';

// Function calls: scalar functions, aggregates (registered with the query's AggregateSink),
// EXISTS and NOT written as calls by the parser.

export const AGGREGATE_NAMES = new Set(['count', 'sum', 'avg', 'min', 'max', 'total', 'group_concat']);

/** The name of a `function` node: `{ name: { name: [{ value }] } }`. */
export function functionName(n: Node): string {
  const name = child(n, 'name');
  const parts = name ? children(name, 'name') : [];
  return (parts.map((p) => text(p, 'value') ?? '').join('.') || text(n, 'name') || '').toLowerCase();
}

export function functionArgs(n: Node): Node[] {
  const args = child(n, 'args');
  if (!args) return [];
  return args.type === 'expr_list' ? children(args, 'value') : [args];
}

/** True when the node is an aggregate call (COUNT(*), SUM(x), or min/max with one argument). */
export function isAggregateCall(n: Node): boolean {
  if (n.type === 'aggr_func') return true;
  if (n.type !== 'function') return false;
  const name = functionName(n);
  if (!AGGREGATE_NAMES.has(name)) return false;
  return !(name === 'min' || name === 'max') || functionArgs(n).length === 1;
}

/** Whether an expression contains an aggregate call outside any subquery. */
export function containsAggregate(n: unknown): boolean {
  if (Array.isArray(n)) return n.some(containsAggregate);
  if (!isNode(n)) return false;
  if (n['ast'] !== undefined || n.type === 'select') return false;
  if (isAggregateCall(n)) return true;
  return Object.values(n).some(containsAggregate);
}

const TRUE = 1n;
const FALSE = 0n;
const bool = (b: boolean): SqlValue => (b ? TRUE : FALSE);

export function callFunction(n: Node, scope: Scope): Compiled {
  const name = functionName(n);
  const argNodes = functionArgs(n);
  if (name === 'exists') {
    const handle = scope.compileSubquery(subqueryOf(argNodes[0]) ?? argNodes[0]!, scope);
    return { evaluate: (env) => bool(handle.rows(env, 1).length > 0), affinity: undefined };
  }
  if (name === 'not' && argNodes.length === 1) {
    const f = compileExpr(argNodes[0]!, scope).evaluate;
    return { evaluate: (env) => { const t = truth(f(env)); return t === null ? null : bool(!t); }, affinity: undefined };
  }
  if (name.startsWith('current_')) return { evaluate: () => currentTime(name.toUpperCase()), affinity: undefined };
  if (isAggregateCall(n)) return aggregate(n, scope);
  const fn = SCALAR_FUNCTIONS.get(name);
  if (!fn) throw new QueryError(`no such function: ${name}`, { remediation: 'See the @sochdb/sql README for the supported functions.' });
  if (argNodes.length < fn.min || argNodes.length > fn.max) {
    throw new QueryError(`wrong number of arguments to function ${name}()`, { remediation: `${name}() takes ${fn.min === fn.max ? fn.min : `${fn.min} or more`} argument(s).` });
  }
  const args = argNodes.map((a) => compileExpr(a, scope).evaluate);
  const impl = fn.fn;
  if (name === 'coalesce' || name === 'ifnull') {
    return { evaluate: (env) => { for (const a of args) { const v = a(env); if (v !== null) return v; } return null; }, affinity: undefined };
  }
  return { evaluate: (env) => impl(args.map((a) => a(env))), affinity: undefined };
}

export function aggregate(n: Node, scope: Scope): Compiled {
  const name = n.type === 'aggr_func' ? (text(n, 'name') ?? '').toLowerCase() : functionName(n);
  if (!scope.aggregates) throw new QueryError(`misuse of aggregate function ${name}()`, { remediation: 'Aggregates are allowed in the select list, HAVING and ORDER BY of a query.' });
  const args = child(n, 'args');
  const distinct = args !== undefined && text(args, 'distinct') !== undefined;
  let argNodes: Node[] = [];
  let star = false;
  if (n.type === 'aggr_func') {
    const e = args && child(args, 'expr');
    if (e?.type === 'star') star = true;
    else if (e) argNodes = [e];
    const sep = args && child(args, 'separator');
    if (sep) argNodes.push(child(sep, 'value') ?? sep);
  } else argNodes = functionArgs(n);
  const slot = scope.aggregates.add(name, argNodes, distinct, star, scope);
  return { evaluate: (env) => env.row[slot]!, affinity: undefined };
}

