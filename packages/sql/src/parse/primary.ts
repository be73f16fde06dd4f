/**
 * Primary expressions (parse.y `term` and the non-operator `expr` rules): literals, parameters,
 * column references, parenthesized expressions, row values, subqueries, EXISTS, CASE, CAST,
 * function calls with their aggregate/window decorations, CURRENT_* and RAISE.
 */
import type { Expr, FunctionExpr, OrderingTerm, ParamExpr } from './ast.js';
import {
  IS_IDJ,
  IS_NM,
  startsSelect,
  TK_ABORT,
  TK_ALL,
  TK_AS,
  TK_BLOB,
  TK_BY,
  TK_CASE,
  TK_CAST,
  TK_COMMA,
  TK_CTIME_KW,
  TK_DISTINCT,
  TK_DOT,
  TK_ELSE,
  TK_END,
  TK_EXISTS,
  TK_FAIL,
  TK_FLOAT,
  TK_ID,
  TK_IGNORE,
  TK_INTEGER,
  TK_LP,
  TK_NULL,
  TK_ORDER,
  TK_RAISE,
  TK_ROLLBACK,
  TK_RP,
  TK_STAR,
  TK_STRING,
  TK_THEN,
  TK_VARIABLE,
  TK_WHEN,
} from './keywords.js';
import { decodeBlob, decodeFloat, decodeInteger, decodeString } from './literals.js';
import { parseTypeName } from './names.js';
import type { Parser } from './parser-core.js';

/** SQLite's SQLITE_MAX_VARIABLE_NUMBER. */
const MAX_VARIABLE_NUMBER = 32766;

/**
 * One primary expression. `negated` says a unary minus immediately precedes it, which only
 * changes the wording of "hex literal too big" (SQLite prints the sign).
 */
export function parsePrimary(p: Parser, negated: boolean): Expr {
  const index = p.pos;
  const type = p.types[index]!;
  p.height = 1;
  switch (type) {
    case TK_INTEGER:
      p.pos++;
      return integerLiteral(p, index, negated);
    case TK_FLOAT:
      p.pos++;
      return { kind: 'literal', value: decodeFloat(p.src, p.starts[index]!, p.ends[index]!) };
    case TK_STRING:
      if (p.types[index + 1] === TK_DOT) return parseColumnRef(p);
      p.pos++;
      return { kind: 'literal', value: decodeString(p.src, p.starts[index]!, p.ends[index]!) };
    case TK_BLOB:
      p.pos++;
      return { kind: 'literal', value: decodeBlob(p.src, p.starts[index]!, p.ends[index]!) };
    case TK_NULL:
      p.pos++;
      return { kind: 'literal', value: null };
    case TK_VARIABLE:
      p.pos++;
      return parameter(p, index);
    case TK_LP:
      return parseParenthesized(p);
    case TK_CAST:
      return parseCast(p);
    case TK_CASE:
      return parseCase(p);
    case TK_EXISTS:
      return parseExists(p);
    case TK_RAISE:
      return parseRaise(p);
    case TK_CTIME_KW:
      p.pos++;
      return call(p.text(index).toLowerCase(), [], { keyword: true });
    default:
      if (IS_IDJ[type] !== 1) throw p.syntaxError();
      switch (p.types[index + 1]) {
        case TK_LP:
          return parseFunctionCall(p);
        case TK_DOT:
          return parseColumnRef(p);
      }
      p.pos++;
      // SQLite reads a bare TRUE / FALSE as 1 / 0 (when no column has that name; we never look).
      if (type === TK_ID && p.isWord(index, 'TRUE')) return { kind: 'literal', value: 1n };
      if (type === TK_ID && p.isWord(index, 'FALSE')) return { kind: 'literal', value: 0n };
      return column(p, undefined, undefined, index);
  }
}

function integerLiteral(p: Parser, index: number, negated: boolean): Expr {
  const decoded = decodeInteger(p.src, p.starts[index]!, p.ends[index]!);
  if (decoded.tooBig) throw p.errorAt(index, `hex literal too big: ${negated ? '-' : ''}${p.text(index)}`);
  const literal = { kind: 'literal', value: decoded.value } as const;
  if (decoded.edge !== undefined) {
    p.edgeLiteral = literal;
    p.edgeKind = decoded.edge;
    p.edgeIndex = index;
  }
  return literal;
}

/** `?`, `?NNN`, `:name`, `@name`, `$name`, `#name`, numbered by SQLite's rules (pParse->nVar). */
function parameter(p: Parser, index: number): ParamExpr {
  const text = p.text(index);
  const prefix = text.charCodeAt(0);
  if (prefix === 63) {
    if (text.length === 1) return { kind: 'param', index: ++p.paramCount, name: undefined, text };
    const n = Number(text.slice(1));
    if (!(n >= 1 && n <= MAX_VARIABLE_NUMBER)) {
      throw p.errorAt(index, `variable number must be between ?1 and ?${MAX_VARIABLE_NUMBER}`);
    }
    if (n > p.paramCount) p.paramCount = n;
    return { kind: 'param', index: n, name: undefined, text };
  }
  const name = text.slice(1);
  // #NNN is SQLite's internal register syntax, rejected outside nested parses.
  if (prefix === 35 && name.charCodeAt(0) >= 48 && name.charCodeAt(0) <= 57) throw p.syntaxError(index);
  if (/^[0-9]+$/.test(name)) {
    // `$1`, `:2`, `@3` are bound positionally by the engine.
    const n = Number(name);
    if (n > p.paramCount) p.paramCount = n;
    return { kind: 'param', index: n, name, text };
  }
  return { kind: 'param', index: undefined, name, text };
}

function column(p: Parser, schema: string | undefined, table: string | undefined, index: number): Expr {
  return {
    kind: 'column',
    schema,
    table,
    column: p.nameOf(index),
    doubleQuoted: p.src.charCodeAt(p.starts[index]!) === 34,
  };
}

/** `nm.nm` or `nm.nm.nm` (each nm may be an identifier, a join keyword or a string). */
function parseColumnRef(p: Parser): Expr {
  const first = p.pos++;
  p.expect(TK_DOT);
  if (IS_NM[p.peek()] !== 1) throw p.syntaxError();
  const second = p.pos++;
  if (p.peek() === TK_DOT && IS_NM[p.peekAt(1)] === 1) {
    p.pos++;
    const third = p.pos++;
    p.height = 3;
    return column(p, p.nameOf(first), p.nameOf(second), third);
  }
  p.height = 2;
  return column(p, undefined, p.nameOf(first), second);
}

/** `( expr )`, a row value `( e1, e2, … )`, or a scalar subquery `( select )`. */
function parseParenthesized(p: Parser): Expr {
  p.pos++;
  if (startsSelect(p.peek())) {
    const query = p.grammar.select(p);
    p.expect(TK_RP);
    p.height++;
    return { kind: 'subquery', query };
  }
  const first = p.grammar.expr(p);
  if (p.peek() !== TK_COMMA) {
    p.expect(TK_RP);
    return first;
  }
  let height = p.height;
  const items = [first];
  while (p.eat(TK_COMMA)) {
    items.push(p.grammar.expr(p));
    if (p.height > height) height = p.height;
  }
  p.expect(TK_RP);
  p.height = height + 1;
  return { kind: 'row', items };
}

function parseCast(p: Parser): Expr {
  p.pos++;
  p.expect(TK_LP);
  const operand = p.grammar.expr(p);
  const height = p.height + 1;
  p.expect(TK_AS);
  const type = parseTypeName(p, false);
  p.expect(TK_RP);
  p.height = height;
  return { kind: 'cast', operand, type };
}

function parseCase(p: Parser): Expr {
  const caseIndex = p.pos++;
  let height = 0;
  let operand: Expr | undefined;
  if (p.peek() !== TK_WHEN) {
    operand = p.grammar.expr(p);
    height = p.height;
  }
  const whens: { when: Expr; then: Expr }[] = [];
  p.expect(TK_WHEN);
  do {
    const when = p.grammar.expr(p);
    height = Math.max(height, p.height);
    p.expect(TK_THEN);
    const then = p.grammar.expr(p);
    height = Math.max(height, p.height);
    whens.push({ when, then });
  } while (p.eat(TK_WHEN));
  let otherwise: Expr | undefined;
  if (p.eat(TK_ELSE)) {
    otherwise = p.grammar.expr(p);
    height = Math.max(height, p.height);
  }
  p.expect(TK_END);
  p.checkHeight(height + 1, caseIndex);
  p.height = height + 1;
  return { kind: 'case', operand, whens, otherwise };
}

function parseExists(p: Parser): Expr {
  p.pos++;
  p.expect(TK_LP);
  const query = p.grammar.select(p);
  p.expect(TK_RP);
  p.height++;
  return { kind: 'exists', query };
}

/** `RAISE(IGNORE)` or `RAISE(ROLLBACK|ABORT|FAIL, message)`. */
function parseRaise(p: Parser): Expr {
  p.pos++;
  p.expect(TK_LP);
  const type = p.peek();
  if (type === TK_IGNORE) {
    p.pos++;
    p.expect(TK_RP);
    return { kind: 'raise', action: 'IGNORE', message: undefined };
  }
  if (type !== TK_ROLLBACK && type !== TK_ABORT && type !== TK_FAIL) throw p.syntaxError();
  p.pos++;
  p.expect(TK_COMMA);
  const message = p.grammar.expr(p);
  p.expect(TK_RP);
  p.height++;
  const action = type === TK_ROLLBACK ? 'ROLLBACK' : type === TK_ABORT ? 'ABORT' : 'FAIL';
  return { kind: 'raise', action, message };
}

function call(name: string, args: readonly Expr[], options: Partial<Omit<FunctionExpr, 'kind' | 'name' | 'args'>>): FunctionExpr {
  return {
    kind: 'function',
    name,
    args,
    star: options.star ?? false,
    distinct: options.distinct ?? false,
    orderBy: options.orderBy ?? [],
    filter: options.filter,
    over: options.over,
    keyword: options.keyword ?? false,
  };
}

/** `name( [DISTINCT|ALL] args [ORDER BY …] | * ) [FILTER (WHERE …)] [OVER …]`. */
function parseFunctionCall(p: Parser): Expr {
  const nameIndex = p.pos;
  const name = p.nameOf(nameIndex).toLowerCase();
  p.pos += 2;
  let args: Expr[] = [];
  let star = false;
  let distinct = false;
  let orderBy: readonly OrderingTerm[] = [];
  let height = 0;
  if (p.eat(TK_STAR)) {
    star = true;
  } else {
    if (p.eat(TK_DISTINCT)) distinct = true;
    else p.eat(TK_ALL);
    const next = p.peek();
    if (next !== TK_RP && next !== TK_ORDER) {
      args = p.grammar.exprList(p);
      height = p.height;
    }
    if (p.eat(TK_ORDER)) {
      p.expect(TK_BY);
      orderBy = p.grammar.orderingTerms(p);
    }
  }
  p.expect(TK_RP);
  const { filter, over } = p.grammar.filterOver(p);
  p.checkHeight(height + 1, nameIndex);
  p.height = height + 1;
  return call(name, args, { star, distinct, orderBy, filter, over });
}

/**
 * parse.y `term` (what `DEFAULT` takes without parentheses): NULL, a number, string or blob, or
 * CURRENT_TIME / CURRENT_DATE / CURRENT_TIMESTAMP. Returns undefined when the token is none of these.
 */
export function parseTerm(p: Parser, negated: boolean): Expr | undefined {
  const index = p.pos;
  switch (p.types[index]) {
    case TK_STRING:
      p.pos++;
      p.height = 1;
      return { kind: 'literal', value: decodeString(p.src, p.starts[index]!, p.ends[index]!) };
    case TK_INTEGER:
    case TK_FLOAT:
    case TK_BLOB:
    case TK_NULL:
    case TK_CTIME_KW:
      return parsePrimary(p, negated);
    default:
      return undefined;
  }
}
