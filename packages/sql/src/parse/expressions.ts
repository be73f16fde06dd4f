/**
 * Expressions by precedence climbing over SQLite's operator table (parse.y, loosest first):
 *
 *   1 OR · 2 AND · 3 NOT (prefix) · 4 = == != <> IS [NOT] [DISTINCT FROM] BETWEEN IN LIKE GLOB
 *   REGEXP MATCH ISNULL NOTNULL NOT NULL · 5 < <= > >= · 6 ESCAPE · 7 & | << >> · 8 + - ·
 *   9 * / % · 10 || -> ->> · 11 COLLATE (postfix) · 12 unary - + ~
 *
 * Binary levels are left-associative and loop rather than recurse, so flat chains of any length
 * cost no stack. A prefix operator's operand extends over every operator that binds tighter than
 * the prefix itself (NOT a = b is NOT (a = b); -a COLLATE x is (-a) COLLATE x), which is what
 * Lemon's LALR precedence resolution produces.
 */
import type { BinaryExpr, BinaryOperator, Expr, InSource, LiteralExpr, UnaryExpr } from './ast.js';
import {
  IS_NM,
  startsSelect,
  TK_AND,
  TK_BETWEEN,
  TK_BITAND,
  TK_BITNOT,
  TK_BITOR,
  TK_COLLATE,
  TK_COMMA,
  TK_CONCAT,
  TK_DISTINCT,
  TK_DOT,
  TK_EQ,
  TK_ESCAPE,
  TK_FROM,
  TK_GE,
  TK_GT,
  TK_IN,
  TK_IS,
  TK_ISNULL,
  TK_LE,
  TK_LIKE_KW,
  TK_LP,
  TK_LSHIFT,
  TK_LT,
  TK_MATCH,
  TK_MINUS,
  TK_NE,
  TK_NOT,
  TK_NOTNULL,
  TK_NULL,
  TK_OR,
  TK_PLUS,
  TK_PTR,
  TK_PTR2,
  TK_REM,
  TK_RP,
  TK_RSHIFT,
  TK_SLASH,
  TK_STAR,
  IS_IDS,
  TOKEN_TYPE_COUNT,
} from './keywords.js';
import type { Parser } from './parser-core.js';

const P_OR = 1;
const P_NOT = 3;
const P_EQ = 4;
const P_CMP = 5;
const P_COLLATE = 11;

/** Binding strength of each token as an infix/postfix operator; 0 = not an operator. */
const PREC = new Uint8Array(TOKEN_TYPE_COUNT);
/** The AST operator of each plain binary-operator token. */
const BINARY_OP: (BinaryOperator | undefined)[] = new Array<BinaryOperator | undefined>(TOKEN_TYPE_COUNT).fill(undefined);
for (const [type, prec, op] of [
  [TK_OR, 1, 'OR'],
  [TK_AND, 2, 'AND'],
  [TK_EQ, P_EQ, '='],
  [TK_NE, P_EQ, '!='],
  [TK_IS, P_EQ, undefined],
  [TK_IN, P_EQ, undefined],
  [TK_LIKE_KW, P_EQ, undefined],
  [TK_MATCH, P_EQ, undefined],
  [TK_BETWEEN, P_EQ, undefined],
  [TK_ISNULL, P_EQ, undefined],
  [TK_NOTNULL, P_EQ, undefined],
  [TK_NOT, P_EQ, undefined],
  [TK_LT, P_CMP, '<'],
  [TK_LE, P_CMP, '<='],
  [TK_GT, P_CMP, '>'],
  [TK_GE, P_CMP, '>='],
  [TK_BITAND, 7, '&'],
  [TK_BITOR, 7, '|'],
  [TK_LSHIFT, 7, '<<'],
  [TK_RSHIFT, 7, '>>'],
  [TK_PLUS, 8, '+'],
  [TK_MINUS, 8, '-'],
  [TK_STAR, 9, '*'],
  [TK_SLASH, 9, '/'],
  [TK_REM, 9, '%'],
  [TK_CONCAT, 10, '||'],
  [TK_PTR, 10, '->'],
  [TK_PTR2, 10, '->>'],
  [TK_COLLATE, P_COLLATE, undefined],
] as const) {
  PREC[type] = prec;
  BINARY_OP[type] = op;
}

/** Parses an expression whose operators all bind at least as tightly as `minPrec` (default: any). */
export function parseExpr(p: Parser, minPrec: number = P_OR): Expr {
  p.enter();
  const first = p.types[p.pos]!;
  // Straight to the primary when there is no prefix operator: one JS frame less per nesting level.
  let left = first === TK_NOT || isSignLike(first) ? parseUnary(p) : p.grammar.primary(p, false);
  let height = p.height;
  for (;;) {
    const type = p.types[p.pos]!;
    const prec = PREC[type]!;
    if (prec === 0 || prec < minPrec) break;
    const opIndex = p.pos;
    if (prec === P_EQ) {
      left = parseEqualityLevel(p, left, height);
      height = p.height;
    } else if (prec === P_COLLATE) {
      p.pos++;
      left = { kind: 'collate', operand: left, collation: p.name(IS_IDS).toUpperCase() };
      height++;
    } else {
      p.pos++;
      const right = parseExpr(p, prec + 1);
      left = { kind: 'binary', op: BINARY_OP[type]!, left, right } satisfies BinaryExpr;
      height = Math.max(height, p.height) + 1;
    }
    p.checkHeight(height, opIndex);
  }
  p.height = height;
  p.leave();
  return left;
}

/** Comma-separated expressions (at least one). */
export function parseExprList(p: Parser): Expr[] {
  const list = [parseExpr(p)];
  let height = p.height;
  while (p.eat(TK_COMMA)) {
    list.push(parseExpr(p));
    if (p.height > height) height = p.height;
  }
  p.height = height;
  return list;
}

const NULL_LITERAL_HEIGHT = 1;

function nullLiteral(): LiteralExpr {
  return { kind: 'literal', value: null };
}

/** One operator of level 4 (all left-associative at the same level) applied to `left`. */
function parseEqualityLevel(p: Parser, left: Expr, leftHeight: number): Expr {
  const opIndex = p.pos++;
  let type = p.types[opIndex]!;
  let not = false;
  switch (type) {
    case TK_EQ:
    case TK_NE: {
      const right = parseExpr(p, P_CMP);
      p.height = Math.max(leftHeight, p.height) + 1;
      return { kind: 'binary', op: BINARY_OP[type]!, left, right };
    }
    case TK_IS: {
      let isNot = p.eat(TK_NOT);
      if (p.eat(TK_DISTINCT)) {
        p.expect(TK_FROM);
        isNot = !isNot;
      }
      const right = parseExpr(p, P_CMP);
      p.height = Math.max(leftHeight, p.height) + 1;
      return { kind: 'binary', op: isNot ? 'IS NOT' : 'IS', left, right };
    }
    case TK_ISNULL:
    case TK_NOTNULL:
      p.height = Math.max(leftHeight, NULL_LITERAL_HEIGHT) + 1;
      return { kind: 'binary', op: type === TK_ISNULL ? 'IS' : 'IS NOT', left, right: nullLiteral() };
    case TK_NOT:
      // After an operand, NOT can only start NOT NULL / NOT IN / NOT LIKE… / NOT BETWEEN.
      type = p.types[p.pos]!;
      if (type === TK_NULL) {
        p.pos++;
        p.height = Math.max(leftHeight, NULL_LITERAL_HEIGHT) + 1;
        return { kind: 'binary', op: 'IS NOT', left, right: nullLiteral() };
      }
      if (type !== TK_IN && type !== TK_LIKE_KW && type !== TK_MATCH && type !== TK_BETWEEN) throw p.syntaxError();
      p.pos++;
      not = true;
      break;
  }
  switch (type) {
    case TK_BETWEEN: {
      // The low bound stops at the first AND of its own level; the high bound binds like `<`.
      const low = parseExpr(p, P_EQ);
      const lowHeight = p.height;
      p.expect(TK_AND);
      const high = parseExpr(p, P_CMP);
      p.height = Math.max(leftHeight, lowHeight, p.height) + 1 + (not ? 1 : 0);
      return { kind: 'between', not, operand: left, low, high };
    }
    case TK_IN: {
      const source = parseInSource(p);
      p.height = Math.max(leftHeight, p.height) + 1 + (not ? 1 : 0);
      return { kind: 'in', not, operand: left, source };
    }
    default: {
      // LIKE / GLOB / REGEXP / MATCH: pattern and ESCAPE operand bind like `<`.
      const opToken = not ? p.pos - 1 : opIndex;
      const op = p.text(opToken).toUpperCase() as 'LIKE' | 'GLOB' | 'REGEXP' | 'MATCH';
      const pattern = parseExpr(p, P_CMP);
      let height = Math.max(leftHeight, p.height);
      let escape: Expr | undefined;
      if (p.eat(TK_ESCAPE)) {
        escape = parseExpr(p, P_CMP);
        height = Math.max(height, p.height);
      }
      p.height = height + 1 + (not ? 1 : 0);
      return { kind: 'like', op, not, operand: left, pattern, escape };
    }
  }
}

/** After IN: `()`, `(list)`, `(select)`, `[schema.]table`, or `[schema.]fn(args)`. */
function parseInSource(p: Parser): InSource {
  if (p.eat(TK_LP)) {
    if (startsSelect(p.peek())) {
      const query = p.grammar.select(p);
      p.expect(TK_RP);
      return { kind: 'select', query };
    }
    if (p.eat(TK_RP)) {
      p.height = 0;
      return { kind: 'list', items: [] };
    }
    const listStart = p.pos;
    const items = parseExprList(p);
    if (items.length > p.maxInListItems) {
      throw p.errorAt(
        listStart,
        `too many items in an IN list: ${items.length} (the limit is ${p.maxInListItems}; put the values in a table, or raise limits.inListItems)`,
      );
    }
    p.expect(TK_RP);
    // As in SQLite, `x IN ((SELECT …))` tests membership in every row, like `x IN (SELECT …)`.
    const only = items.length === 1 ? items[0]! : undefined;
    if (only?.kind === 'subquery') return { kind: 'select', query: only.query };
    return { kind: 'list', items };
  }
  if (IS_NM[p.peek()] !== 1) throw p.syntaxError();
  let schema: string | undefined;
  let name = p.name();
  if (p.eat(TK_DOT)) {
    schema = name;
    name = p.name();
  }
  let args: Expr[] | undefined;
  p.height = 1;
  if (p.eat(TK_LP)) {
    args = p.peek() === TK_RP ? [] : parseExprList(p);
    p.expect(TK_RP);
  }
  return { kind: 'table', schema, name, args };
}

/** Prefix operators: NOT (binds loosely) or a run of - + ~ (bind tightest) before a primary; the caller checked there is one. */
function parseUnary(p: Parser): Expr {
  if (p.types[p.pos] === TK_NOT) return parseNot(p);
  const first = p.pos;
  while (isSignLike(p.types[p.pos]!)) p.pos++;
  const last = p.pos - 1;
  let operand = p.types[p.pos] === TK_NOT ? parseNot(p) : p.grammar.primary(p, p.types[last] === TK_MINUS);
  let height = p.height;
  for (let i = last; i >= first; i--) {
    // A sign over a unary plus replaces it instead of adding a node (parse.y), so no extra height.
    const replacesPlus = operand.kind === 'unary' && operand.op === '+' && p.types[i] !== TK_BITNOT;
    operand = applyPrefix(p, i, operand);
    if (!replacesPlus) height++;
    p.checkHeight(height, i);
  }
  p.height = height;
  return operand;
}

function isSignLike(type: number): boolean {
  return type === TK_MINUS || type === TK_PLUS || type === TK_BITNOT;
}

/**
 * Applies the prefix operator at token `index`. Mirrors parse.y: a sign applied to a unary plus
 * replaces it (`- + x` is `-x`); minus over the literal 9223372036854775808 is the INTEGER
 * -9223372036854775808; minus over a hex literal equal to INT64_MIN is "hex literal too big".
 */
export function applyPrefix(p: Parser, index: number, operand: Expr): Expr {
  const type = p.types[index]!;
  if (type === TK_BITNOT) return { kind: 'unary', op: '~', operand } satisfies UnaryExpr;
  let inner = operand;
  if (operand.kind === 'unary' && operand.op === '+') inner = operand.operand;
  if (type === TK_MINUS && inner === p.edgeLiteral && inner !== undefined) {
    if (p.edgeKind === 'hexMin') throw p.errorAt(index, `hex literal too big: -${p.text(p.edgeIndex)}`);
    p.edgeLiteral = undefined;
    return { kind: 'literal', value: -9223372036854775808n };
  }
  if (operand.kind === 'unary' && operand.op === '+') return { kind: 'unary', op: type === TK_MINUS ? '-' : '+', operand: inner };
  return { kind: 'unary', op: type === TK_MINUS ? '-' : '+', operand };
}

function parseNot(p: Parser): Expr {
  const index = p.pos++;
  const operand = parseExpr(p, P_NOT);
  const height = p.height + 1;
  p.checkHeight(height, index);
  p.height = height;
  return { kind: 'unary', op: 'NOT', operand };
}
