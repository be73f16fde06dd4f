/**
 * SELECT (parse.y `select`, `selectnowith`, `oneselect`, `values`): WITH, compound operators,
 * result columns, the clauses of one core, and the ORDER BY / LIMIT that belong to the whole
 * compound. A core before a compound operator may not have ORDER BY or LIMIT (SQLite's
 * "ORDER BY clause should come after UNION not before"); parenthesized subqueries may.
 */
import type { CommonTableExpression, CompoundOperator, Expr, OrderingTerm, ResultColumn, Select, SelectCore, ValuesCore, WithClause } from './ast.js';
import {
  IS_NM,
  TK_ALL,
  TK_AS,
  TK_BY,
  TK_COMMA,
  TK_DISTINCT,
  TK_DOT,
  TK_EXCEPT,
  TK_FROM,
  TK_GROUP,
  TK_HAVING,
  TK_INTERSECT,
  TK_LIMIT,
  TK_LP,
  TK_MATERIALIZED,
  TK_NOT,
  TK_OFFSET,
  TK_ORDER,
  TK_RECURSIVE,
  TK_RP,
  TK_SELECT,
  TK_STAR,
  TK_UNION,
  TK_VALUES,
  TK_WHERE,
  TK_WITH,
} from './keywords.js';
import { parseAlias, parseEidList } from './names.js';
import type { Parser } from './parser-core.js';

/** Nesting weight of one SELECT level: each costs many JS frames (see MAX_NESTING). */
const SELECT_WEIGHT = 8;

/**
 * A whole query. Leaves `p.height` at the tallest expression height in its clauses (SQLite's
 * heightOfSelect), so a subquery expression can add its own level.
 */
export function parseSelect(p: Parser): Select {
  p.enter(SELECT_WEIGHT);
  const withClause = p.peek() === TK_WITH ? parseWith(p) : undefined;
  const select = parseSelectAfterWith(p, withClause);
  p.leave(SELECT_WEIGHT);
  return select;
}

/** The rest of a query whose WITH clause (if any) the caller has already read. */
export function parseSelectAfterWith(p: Parser, withClause: WithClause | undefined): Select {
  const heights = { max: 0 };
  let tail = parseCore(p, heights);
  const first = tail.core;
  const compounds: { op: CompoundOperator; core: SelectCore | ValuesCore }[] = [];
  for (;;) {
    const opIndex = p.pos;
    const op = parseCompoundOperator(p);
    if (op === undefined) break;
    if (tail.orderBy.length > 0 || tail.limit !== undefined) {
      const clause = tail.orderBy.length > 0 ? 'ORDER BY' : 'LIMIT';
      throw p.errorAt(opIndex, `${clause} clause should come after ${op} not before`);
    }
    tail = parseCore(p, heights);
    compounds.push({ op, core: tail.core });
  }
  p.height = heights.max;
  return { with: withClause, first, compounds, orderBy: tail.orderBy, limit: tail.limit, offset: tail.offset };
}

function parseCompoundOperator(p: Parser): CompoundOperator | undefined {
  switch (p.peek()) {
    case TK_UNION:
      p.pos++;
      return p.eat(TK_ALL) ? 'UNION ALL' : 'UNION';
    case TK_INTERSECT:
      p.pos++;
      return 'INTERSECT';
    case TK_EXCEPT:
      p.pos++;
      return 'EXCEPT';
    default:
      return undefined;
  }
}

/** `WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (select), …`. */
export function parseWith(p: Parser): WithClause {
  p.expect(TK_WITH);
  const recursive = p.eat(TK_RECURSIVE);
  const ctes: CommonTableExpression[] = [];
  do {
    const name = p.name();
    const columns = p.peek() === TK_LP ? parseEidList(p) : undefined;
    p.expect(TK_AS);
    let materialized: boolean | undefined;
    if (p.eat(TK_MATERIALIZED)) materialized = true;
    else if (p.peek() === TK_NOT && p.peekAt(1) === TK_MATERIALIZED) {
      p.pos += 2;
      materialized = false;
    }
    p.expect(TK_LP);
    const query = parseSelect(p);
    p.expect(TK_RP);
    ctes.push({ name, columns, materialized, query });
  } while (p.eat(TK_COMMA));
  return { recursive, ctes };
}

interface ParsedCore {
  readonly core: SelectCore | ValuesCore;
  readonly orderBy: readonly OrderingTerm[];
  readonly limit: Expr | undefined;
  readonly offset: Expr | undefined;
}

const NO_TERMS: readonly OrderingTerm[] = [];

/** One `oneselect`: a SELECT core with its own ORDER BY / LIMIT, or a VALUES list (which has neither). */
function parseCore(p: Parser, heights: { max: number }): ParsedCore {
  const track = (): void => {
    if (p.height > heights.max) heights.max = p.height;
  };
  if (p.eat(TK_VALUES)) {
    const rows: Expr[][] = [];
    do {
      p.expect(TK_LP);
      rows.push(p.grammar.exprList(p));
      track();
      p.expect(TK_RP);
    } while (p.eat(TK_COMMA));
    return { core: { kind: 'values', rows }, orderBy: NO_TERMS, limit: undefined, offset: undefined };
  }
  p.expect(TK_SELECT);
  let distinct = false;
  if (p.eat(TK_DISTINCT)) distinct = true;
  else p.eat(TK_ALL);
  const columns = parseResultColumns(p);
  track();
  const from = p.eat(TK_FROM) ? p.grammar.fromClause(p) : undefined;
  let where: Expr | undefined;
  if (p.eat(TK_WHERE)) {
    where = p.grammar.expr(p);
    track();
  }
  let groupBy: Expr[] = [];
  if (p.eat(TK_GROUP)) {
    p.expect(TK_BY);
    groupBy = p.grammar.exprList(p);
    track();
  }
  let having: Expr | undefined;
  if (p.eat(TK_HAVING)) {
    having = p.grammar.expr(p);
    track();
  }
  const windows = p.grammar.windowClause(p);
  const core: SelectCore = { kind: 'select', distinct, columns, from, where, groupBy, having, windows };
  let orderBy: readonly OrderingTerm[] = NO_TERMS;
  if (p.eat(TK_ORDER)) {
    p.expect(TK_BY);
    orderBy = p.grammar.orderingTerms(p);
    track();
  }
  const { limit, offset } = parseLimit(p);
  track();
  return { core, orderBy, limit, offset };
}

/** `LIMIT n [OFFSET m]` or `LIMIT m, n` (offset first). Leaves p.height at the taller operand. */
export function parseLimit(p: Parser): { limit: Expr | undefined; offset: Expr | undefined } {
  p.height = 0;
  if (!p.eat(TK_LIMIT)) return { limit: undefined, offset: undefined };
  const first = p.grammar.expr(p);
  const firstHeight = p.height;
  let result: { limit: Expr | undefined; offset: Expr | undefined } = { limit: first, offset: undefined };
  if (p.eat(TK_OFFSET)) result = { limit: first, offset: p.grammar.expr(p) };
  else if (p.eat(TK_COMMA)) result = { limit: p.grammar.expr(p), offset: first };
  if (p.height < firstHeight) p.height = firstHeight;
  return result;
}

/** parse.y `selcollist`: `*`, `table.*`, or `expr [[AS] alias]`, comma-separated. */
export function parseResultColumns(p: Parser): ResultColumn[] {
  const columns: ResultColumn[] = [];
  let height = 0;
  do {
    const type = p.peek();
    if (type === TK_STAR) {
      p.pos++;
      columns.push({ kind: 'star' });
      continue;
    }
    if (IS_NM[type] === 1 && p.peekAt(1) === TK_DOT && p.peekAt(2) === TK_STAR) {
      const table = p.nameOf(p.pos);
      p.pos += 3;
      columns.push({ kind: 'tableStar', table });
      continue;
    }
    const first = p.pos;
    const expr = p.grammar.expr(p);
    if (p.height > height) height = p.height;
    const text = p.span(first, p.pos - 1);
    columns.push({ kind: 'expr', expr, alias: parseAlias(p), text });
  } while (p.eat(TK_COMMA));
  p.height = height;
  return columns;
}
