/**
 * ORDER BY terms and the window-function grammar of parse.y: FILTER (WHERE …), OVER name,
 * OVER ( [base] [PARTITION BY …] [ORDER BY …] [frame] ), and a SELECT's WINDOW clause.
 */
import type { Expr, FrameBound, NamedWindow, OrderingTerm, WindowFrame, WindowSpec } from './ast.js';
import {
  IS_NM,
  TK_AND,
  TK_AS,
  TK_ASC,
  TK_BETWEEN,
  TK_BY,
  TK_COMMA,
  TK_CURRENT,
  TK_DESC,
  TK_EXCLUDE,
  TK_FILTER,
  TK_FIRST,
  TK_FOLLOWING,
  TK_GROUP,
  TK_GROUPS,
  TK_LAST,
  TK_LP,
  TK_NO,
  TK_NULLS,
  TK_ORDER,
  TK_OTHERS,
  TK_OVER,
  TK_PARTITION,
  TK_PRECEDING,
  TK_RANGE,
  TK_ROW,
  TK_ROWS,
  TK_RP,
  TK_TIES,
  TK_UNBOUNDED,
  TK_WHERE,
  TK_WINDOW,
} from './keywords.js';
import type { Parser } from './parser-core.js';

/** `expr [ASC|DESC] [NULLS FIRST|LAST]`, comma-separated (parse.y `sortlist`). */
export function parseOrderingTerms(p: Parser): OrderingTerm[] {
  const terms: OrderingTerm[] = [];
  let height = 0;
  do {
    const expr = p.grammar.expr(p);
    if (p.height > height) height = p.height;
    let desc = false;
    if (p.eat(TK_DESC)) desc = true;
    else p.eat(TK_ASC);
    let nulls: 'FIRST' | 'LAST' | undefined;
    if (p.eat(TK_NULLS)) {
      if (p.eat(TK_FIRST)) nulls = 'FIRST';
      else {
        p.expect(TK_LAST);
        nulls = 'LAST';
      }
    }
    terms.push({ expr, desc, nulls });
  } while (p.eat(TK_COMMA));
  p.height = height;
  return terms;
}

/** The optional `FILTER (WHERE e)` and `OVER …` after a function call's closing parenthesis. */
export function parseFilterOver(p: Parser): { filter: Expr | undefined; over: WindowSpec | undefined } {
  let filter: Expr | undefined;
  let over: WindowSpec | undefined;
  if (p.eat(TK_FILTER)) {
    p.expect(TK_LP);
    p.expect(TK_WHERE);
    filter = p.grammar.expr(p);
    p.expect(TK_RP);
  }
  if (p.eat(TK_OVER)) {
    if (p.eat(TK_LP)) {
      const body = parseWindowBody(p);
      const baseOnly = body.base !== undefined && body.partitionBy.length === 0 && body.orderBy.length === 0 && body.frame === undefined;
      over = baseOnly ? { ...body, parenthesized: true } : body;
      p.expect(TK_RP);
    } else {
      over = { base: p.name(), partitionBy: [], orderBy: [], frame: undefined };
    }
  }
  return { filter, over };
}

/** `WINDOW name AS (window), …` (the lexer only types WINDOW as a keyword when `name AS` follows). */
export function parseWindowClause(p: Parser): NamedWindow[] {
  const windows: NamedWindow[] = [];
  if (!p.eat(TK_WINDOW)) return windows;
  do {
    const name = p.name();
    p.expect(TK_AS);
    p.expect(TK_LP);
    const spec = parseWindowBody(p);
    p.expect(TK_RP);
    windows.push({ name, spec });
  } while (p.eat(TK_COMMA));
  return windows;
}

/** Inside the parentheses: `[base] [PARTITION BY …] [ORDER BY …] [frame]`. */
function parseWindowBody(p: Parser): WindowSpec {
  p.enter();
  let base: string | undefined;
  const type = p.peek();
  if (IS_NM[type] === 1 && !isWindowKeyword(type)) base = p.name();
  let partitionBy: Expr[] = [];
  let orderBy: OrderingTerm[] = [];
  if (p.eat(TK_PARTITION)) {
    p.expect(TK_BY);
    partitionBy = p.grammar.exprList(p);
  }
  if (p.eat(TK_ORDER)) {
    p.expect(TK_BY);
    orderBy = parseOrderingTerms(p);
  }
  const frame = parseFrame(p);
  p.leave();
  return { base, partitionBy, orderBy, frame };
}

/** Keywords the window grammar shifts in preference to reading them as a base-window name. */
function isWindowKeyword(type: number): boolean {
  return type === TK_PARTITION || type === TK_RANGE || type === TK_ROWS || type === TK_GROUPS;
}

function parseFrame(p: Parser): WindowFrame | undefined {
  const type = p.peek();
  if (type !== TK_RANGE && type !== TK_ROWS && type !== TK_GROUPS) return undefined;
  p.pos++;
  const units = type === TK_RANGE ? 'RANGE' : type === TK_ROWS ? 'ROWS' : 'GROUPS';
  let start: FrameBound;
  let end: FrameBound = { kind: 'CURRENT ROW', offset: undefined };
  if (p.eat(TK_BETWEEN)) {
    start = parseFrameBound(p, true);
    p.expect(TK_AND);
    end = parseFrameBound(p, false);
  } else {
    start = parseFrameBound(p, true);
  }
  let exclude: WindowFrame['exclude'];
  if (p.eat(TK_EXCLUDE)) {
    if (p.eat(TK_NO)) {
      p.expect(TK_OTHERS);
      exclude = 'NO OTHERS';
    } else if (p.eat(TK_CURRENT)) {
      p.expect(TK_ROW);
      exclude = 'CURRENT ROW';
    } else if (p.eat(TK_GROUP)) exclude = 'GROUP';
    else {
      p.expect(TK_TIES);
      exclude = 'TIES';
    }
  }
  return { units, start, end, exclude };
}

/** A frame bound; `UNBOUNDED PRECEDING` only starts a frame and `UNBOUNDED FOLLOWING` only ends one. */
function parseFrameBound(p: Parser, isStart: boolean): FrameBound {
  if (p.eat(TK_UNBOUNDED)) {
    p.expect(isStart ? TK_PRECEDING : TK_FOLLOWING);
    return { kind: isStart ? 'UNBOUNDED PRECEDING' : 'UNBOUNDED FOLLOWING', offset: undefined };
  }
  if (p.eat(TK_CURRENT)) {
    p.expect(TK_ROW);
    return { kind: 'CURRENT ROW', offset: undefined };
  }
  const offset = p.grammar.expr(p);
  if (p.eat(TK_PRECEDING)) return { kind: 'PRECEDING', offset };
  p.expect(TK_FOLLOWING);
  return { kind: 'FOLLOWING', offset };
}
