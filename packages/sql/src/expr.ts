import { QueryError } from '@sochdb/core';
import { child, children, columnName, isNode, text, type Node } from './ast.js';
import { currentTime } from './functions.js';
import { aggregate, callFunction, functionArgs, functionName } from './expr-calls.js';
import { globMatches, likeMatches } from './like.js';
import { arithmetic, bitwise, castTo, compareSql, comparisonAffinities, concat, convertFor, negate } from './operators.js';
import type { Compiled, Env, Evaluator, Scope, SubqueryHandle } from './scope.js';
import { affinityOf, toText, truth, type Affinity, type SqlValue } from './values.js';

const TRUE = 1n;
const FALSE = 0n;
const bool = (b: boolean | null): SqlValue => (b === null ? null : b ? TRUE : FALSE);

const constant = (v: SqlValue, affinity?: Affinity): Compiled => ({ evaluate: () => v, affinity });

/** A node that wraps a subquery (`{ ast: select }`). */
export function subqueryOf(n: Node | undefined): Node | undefined {
  if (!n) return undefined;
  const ast = child(n, 'ast');
  if (ast && ast.type === 'select') return ast;
  if (n.type === 'select') return n;
  if (n.type === 'expr_list') {
    const items = children(n, 'value');
    if (items.length === 1) return subqueryOf(items[0]);
  }
  return undefined;
}

export { AGGREGATE_NAMES, containsAggregate, isAggregateCall, functionName } from './expr-calls.js';

export function unescapeString(n: Node): string {
  return (text(n, 'value') ?? '').replace(/''/g, "'");
}

/** Compiles an expression AST into an evaluator closure bound to `scope`'s row layout. */
export function compileExpr(n: Node, scope: Scope): Compiled {
  const sub = n.type === undefined ? subqueryOf(n) : undefined;
  if (sub) return scalarSubquery(scope.compileSubquery(sub, scope));
  switch (n.type) {
    case 'number': {
      const raw = n['value'];
      if (typeof raw === 'number') return constant(Number.isInteger(raw) && Math.abs(raw) <= Number.MAX_SAFE_INTEGER ? BigInt(raw) : raw);
      const s = String(raw);
      if (/^0x/i.test(s)) return constant(BigInt.asIntN(64, BigInt(s)));
      return constant(/[.eE]/.test(s) || !/^-?\d+$/.test(s) ? Number(s) : BigInt(s));
    }
    case 'bigint': {
      const raw = String(n['value']);
      if (!/^-?\d+$/.test(raw)) return constant(Number(raw));
      const v = BigInt(raw);
      return constant(v > 9223372036854775807n ? Number(v) : v);
    }
    case 'single_quote_string':
    case 'string':
      return constant(unescapeString(n));
    case 'double_quote_string': {
      const name = text(n, 'value') ?? '';
      return scope.resolve(undefined, name) ? columnRef(undefined, name, scope) : constant(name);
    }
    case 'hex_string':
    case 'full_hex_string':
      return constant(Buffer.from(text(n, 'value') ?? '', 'hex'));
    case 'bool':
      return constant(n['value'] ? TRUE : FALSE);
    case 'null':
      return constant(null);
    case 'var':
    case 'param':
      return parameter(n);
    case 'column_ref':
      if (isNode(n['collate'])) throw new QueryError('COLLATE is not supported (comparisons use binary collation)', { remediation: 'Compare lower(x) = lower(y) for a case-insensitive match.' });
      return columnRef(text(n, 'table'), columnName(n['column']) ?? '', scope);
    case 'unary_expr':
      return unary(n, scope);
    case 'binary_expr':
      return binary(n, scope);
    case 'function':
      return callFunction(n, scope);
    case 'aggr_func':
      return aggregate(n, scope);
    case 'case':
      return caseExpr(n, scope);
    case 'cast': {
      const target = children(n, 'target')[0];
      const affinity = affinityOf(target ? (text(target, 'dataType') ?? '') : '');
      const inner = compileExpr(child(n, 'expr')!, scope).evaluate;
      return { evaluate: (env) => castTo(inner(env), affinity), affinity };
    }
    case 'expr_list': {
      const items = children(n, 'value');
      if (items.length === 1) return compileExpr(items[0]!, scope);
      throw new QueryError('row values (a parenthesized list) are only allowed after IN', { remediation: 'Use IN (a, b, …) or compare one value at a time.' });
    }
    case 'origin': {
      const value = (text(n, 'value') ?? '').toUpperCase();
      if (value.startsWith('CURRENT_')) return { evaluate: () => currentTime(value), affinity: undefined };
      break;
    }
  }
  throw new QueryError(`unsupported expression: ${String(n.type ?? JSON.stringify(n).slice(0, 60))}`, {
    remediation: 'See the @sochdb/sql README for the supported SQL.',
  });
}

function parameter(n: Node): Compiled {
  const name = n['name'] ?? n['value'];
  const prefix = text(n, 'prefix') ?? ':';
  if (typeof name === 'number' || (typeof name === 'string' && /^\d+$/.test(name))) {
    const index = Number(name) - 1;
    return {
      evaluate: (env) => {
        const values = env.rt.params.positional;
        if (index >= values.length) throw missingParameter(`${prefix}${index + 1}`, `${index + 1} positional`);
        return values[index]!;
      },
      affinity: undefined,
    };
  }
  const key = String(name);
  return {
    evaluate: (env) => {
      const v = env.rt.params.named.get(key);
      if (v === undefined) throw missingParameter(`${prefix}${key}`, `a value named '${key}'`);
      return v;
    },
    affinity: undefined,
  };
}

function missingParameter(param: string, need: string): QueryError {
  return new QueryError(`no value bound for parameter ${param}`, { remediation: `Pass ${need} parameter(s) in execute(sql, params).` });
}

export function columnRef(table: string | undefined, column: string, scope: Scope): Compiled {
  if (column === '*') throw new QueryError(`'*' is only allowed in a select list or COUNT(*)`);
  const found = scope.resolve(table ?? undefined, column);
  if (!found) {
    const alias = scope.aliases?.get(column.toLowerCase());
    if (alias && table === undefined) {
      // An output alias may read any source: place conditions using it after every join.
      scope.sources.forEach((_, i) => scope.used.add(i));
      return alias;
    }
    const what = table ? `${table}.${column}` : column;
    if (table && !scope.hasSource(table)) throw new QueryError(`no such table: ${table}`, { remediation: `Add ${table} to the FROM clause or fix the qualifier.` });
    throw new QueryError(`no such column: ${what}`, { remediation: 'Check the column name against the table definition.' });
  }
  const { depth, slot, affinity } = found;
  if (depth === 0) return { evaluate: (env) => env.row[slot]!, affinity };
  if (depth === 1) return { evaluate: (env) => env.outer!.row[slot]!, affinity };
  return {
    evaluate: (env) => {
      let e: Env = env;
      for (let d = 0; d < depth; d++) e = e.outer!;
      return e.row[slot]!;
    },
    affinity,
  };
}

function unary(n: Node, scope: Scope): Compiled {
  const op = (text(n, 'operator') ?? '').toUpperCase();
  const operand = child(n, 'expr')!;
  if (op === 'NOT EXISTS' || op === 'EXISTS') {
    const handle = scope.compileSubquery(subqueryOf(operand) ?? operand, scope);
    const negateIt = op === 'NOT EXISTS';
    return { evaluate: (env) => bool((handle.rows(env, 1).length > 0) !== negateIt), affinity: undefined };
  }
  const inner = compileExpr(operand, scope);
  const f = inner.evaluate;
  switch (op) {
    case '-':
      return { evaluate: (env) => negate(f(env)), affinity: undefined };
    case '+':
      return inner;
    case 'NOT':
    case '!': {
      return { evaluate: (env) => { const t = truth(f(env)); return t === null ? null : bool(!t); }, affinity: undefined };
    }
    case '~':
      return { evaluate: (env) => { const v = bitwise('|', f(env), 0n); return typeof v === 'bigint' ? ~v : null; }, affinity: undefined };
  }
  throw new QueryError(`unsupported unary operator ${op}`);
}

function comparison(op: string, left: Compiled, right: Compiled): Evaluator {
  const [la, ra] = comparisonAffinities(left.affinity, right.affinity);
  const l = left.evaluate;
  const r = right.evaluate;
  const test = ((): ((c: number) => boolean) => {
    switch (op) {
      case '=':
      case '==':
      case 'IS':
        return (c) => c === 0;
      case '!=':
      case '<>':
      case 'IS NOT':
        return (c) => c !== 0;
      case '<':
        return (c) => c < 0;
      case '<=':
        return (c) => c <= 0;
      case '>':
        return (c) => c > 0;
      default:
        return (c) => c >= 0;
    }
  })();
  if (op === 'IS' || op === 'IS NOT') {
    const isNot = op === 'IS NOT';
    return (env) => {
      const a = l(env);
      const b = r(env);
      if (a === null || b === null) return bool((a === null && b === null) !== isNot);
      return bool(test(compareSql(convertFor(a, la), convertFor(b, ra))!));
    };
  }
  if (la === undefined && ra === undefined) {
    return (env) => {
      const c = compareSql(l(env), r(env));
      return c === null ? null : c === 0 ? (test(0) ? TRUE : FALSE) : test(c) ? TRUE : FALSE;
    };
  }
  return (env) => {
    const c = compareSql(convertFor(l(env), la), convertFor(r(env), ra));
    return c === null ? null : test(c) ? TRUE : FALSE;
  };
}

function binary(n: Node, scope: Scope): Compiled {
  let op = (text(n, 'operator') ?? '').toUpperCase();
  const leftNode = child(n, 'left')!;
  let rightNode = child(n, 'right')!;
  // node-sql-parser reads `x IS NOT (y)` as `x IS NOT(y)`, a call; SQLite means IS NOT.
  if (op === 'IS' && rightNode.type === 'function' && functionName(rightNode) === 'not' && functionArgs(rightNode).length === 1) {
    op = 'IS NOT';
    rightNode = functionArgs(rightNode)[0]!;
  }
  if (op === 'IN' || op === 'NOT IN') return inExpr(op === 'NOT IN', leftNode, rightNode, scope);
  if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
    const [lo, hi] = children(rightNode, 'value');
    const x = compileExpr(leftNode, scope);
    const ge = comparison('>=', x, compileExpr(lo!, scope));
    const le = comparison('<=', x, compileExpr(hi!, scope));
    const not = op === 'NOT BETWEEN';
    return { evaluate: (env) => { const t = and3(truth(ge(env)), truth(le(env))); return t === null ? null : bool(t !== not); }, affinity: undefined };
  }
  const left = compileExpr(leftNode, scope);
  const right = compileExpr(rightNode, scope);
  const l = left.evaluate;
  const r = right.evaluate;
  switch (op) {
    case 'AND':
      return { evaluate: (env) => { const a = truth(l(env)); if (a === false) return FALSE; const b = truth(r(env)); return bool(and3(a, b)); }, affinity: undefined };
    case 'OR':
      return { evaluate: (env) => { const a = truth(l(env)); if (a === true) return TRUE; const b = truth(r(env)); return b === true ? TRUE : a === null || b === null ? null : FALSE; }, affinity: undefined };
    case '=': case '==': case '!=': case '<>': case '<': case '<=': case '>': case '>=': case 'IS': case 'IS NOT':
      return { evaluate: comparison(op, left, right), affinity: undefined };
    case '+': case '-': case '*': case '/': case '%':
      return { evaluate: (env) => arithmetic(op, l(env), r(env)), affinity: undefined };
    case '||':
      return { evaluate: (env) => concat(l(env), r(env)), affinity: undefined };
    case '&': case '|': case '<<': case '>>':
      return { evaluate: (env) => bitwise(op, l(env), r(env)), affinity: undefined };
    case 'LIKE': case 'NOT LIKE': case 'GLOB': case 'NOT GLOB': {
      const not = op.startsWith('NOT');
      const glob = op.endsWith('GLOB');
      return {
        evaluate: (env) => {
          const v = l(env);
          const p = r(env);
          if (v === null || p === null) return null;
          const m = glob ? globMatches(toText(v)!, toText(p)!) : likeMatches(toText(v)!, toText(p)!);
          return bool(m !== not);
        },
        affinity: undefined,
      };
    }
  }
  throw new QueryError(`unsupported operator ${op}`, { remediation: 'See the @sochdb/sql README for the supported operators.' });
}

function and3(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

function inExpr(not: boolean, leftNode: Node, rightNode: Node, scope: Scope): Compiled {
  const left = compileExpr(leftNode, scope);
  const l = left.evaluate;
  const sub = subqueryOf(rightNode);
  let candidates: (env: Env) => { values: readonly SqlValue[]; affinity: Affinity | undefined }[];
  if (sub) {
    const handle = scope.compileSubquery(sub, scope);
    candidates = (env) => handle.rows(env).map((row) => ({ values: [row[0] ?? null], affinity: undefined }));
  } else {
    const items = children(rightNode, 'value').map((item) => compileExpr(item, scope));
    candidates = (env) => items.map((c) => ({ values: [c.evaluate(env)], affinity: c.affinity }));
  }
  return {
    evaluate: (env) => {
      const list = candidates(env);
      if (list.length === 0) return bool(not);
      const x = l(env);
      if (x === null) return null;
      let sawNull = false;
      for (const item of list) {
        const v = item.values[0]!;
        if (v === null) {
          sawNull = true;
          continue;
        }
        const [la, ra] = comparisonAffinities(left.affinity, item.affinity);
        if (compareSql(convertFor(x, la), convertFor(v, ra)) === 0) return bool(!not);
      }
      return sawNull ? null : bool(not);
    },
    affinity: undefined,
  };
}

function scalarSubquery(handle: SubqueryHandle): Compiled {
  return { evaluate: (env) => handle.rows(env, 1)[0]?.[0] ?? null, affinity: undefined };
}

function caseExpr(n: Node, scope: Scope): Compiled {
  const baseNode = child(n, 'expr');
  const base = baseNode ? compileExpr(baseNode, scope) : undefined;
  const whens: { test: Evaluator; result: Evaluator }[] = [];
  let otherwise: Evaluator = () => null;
  for (const arm of children(n, 'args')) {
    const result = compileExpr(child(arm, 'result')!, scope).evaluate;
    if (arm.type === 'else') {
      otherwise = result;
      continue;
    }
    const cond = compileExpr(child(arm, 'cond')!, scope);
    whens.push({ test: base ? comparison('=', base, cond) : cond.evaluate, result });
  }
  return {
    evaluate: (env) => {
      for (const w of whens) if (truth(w.test(env)) === true) return w.result(env);
      return otherwise(env);
    },
    affinity: undefined,
  };
}
