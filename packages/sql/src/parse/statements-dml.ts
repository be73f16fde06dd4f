/**
 * INSERT / REPLACE (with upsert and RETURNING), UPDATE and DELETE (parse.y `cmd ::= with …`).
 * ORDER BY / LIMIT on UPDATE and DELETE are accepted as SQLITE_ENABLE_UPDATE_DELETE_LIMIT
 * builds do; whether to run them is the planner's call.
 */
import type { Expr, OrderingTerm, ResultColumn, TableSource, WithClause } from './ast.js';
import type { ConflictResolution, DeleteStatement, IndexedColumn, InsertStatement, SetClause, UpdateStatement, UpsertClause } from './ast-statements.js';
import { parseExpr } from './expressions.js';
import { parseFromClause, parseIndexedBy } from './from.js';
import {
  TK_ABORT,
  TK_AS,
  TK_BY,
  TK_COMMA,
  TK_CONFLICT,
  TK_DEFAULT,
  TK_DELETE,
  TK_DO,
  TK_EQ,
  TK_FAIL,
  TK_FROM,
  TK_IGNORE,
  TK_INSERT,
  TK_INTO,
  TK_LP,
  TK_NOTHING,
  TK_ON,
  TK_OR,
  TK_ORDER,
  TK_REPLACE,
  TK_RETURNING,
  TK_ROLLBACK,
  TK_RP,
  TK_SET,
  TK_UPDATE,
  TK_VALUES,
  TK_WHERE,
} from './keywords.js';
import { parseIdList, parseParenIdList, parseQualifiedName } from './names.js';
import type { Parser } from './parser-core.js';
import { parseLimit, parseResultColumns, parseSelect } from './select.js';
import { parseOrderingTerms } from './windows.js';

/** parse.y `resolvetype`: ROLLBACK | ABORT | FAIL | IGNORE | REPLACE. */
export function parseResolveType(p: Parser): ConflictResolution {
  switch (p.peek()) {
    case TK_ROLLBACK:
      p.pos++;
      return 'ROLLBACK';
    case TK_ABORT:
      p.pos++;
      return 'ABORT';
    case TK_FAIL:
      p.pos++;
      return 'FAIL';
    case TK_IGNORE:
      p.pos++;
      return 'IGNORE';
    case TK_REPLACE:
      p.pos++;
      return 'REPLACE';
    default:
      throw p.syntaxError();
  }
}

/** An ORDER BY term as an index column: a top-level COLLATE becomes the column's collation. */
export function toIndexedColumn(term: OrderingTerm): IndexedColumn {
  const { expr } = term;
  if (expr.kind === 'collate') return { expr: expr.operand, collation: expr.collation, desc: term.desc };
  return { expr, collation: undefined, desc: term.desc };
}

function parseWhere(p: Parser): Expr | undefined {
  return p.eat(TK_WHERE) ? parseExpr(p) : undefined;
}

function parseReturning(p: Parser): ResultColumn[] | undefined {
  return p.eat(TK_RETURNING) ? parseResultColumns(p) : undefined;
}

/** `INSERT [OR x] INTO …` / `REPLACE INTO …`. */
export function parseInsert(p: Parser, withClause: WithClause | undefined): InsertStatement {
  let or: ConflictResolution | undefined;
  if (p.eat(TK_REPLACE)) or = 'REPLACE';
  else {
    p.expect(TK_INSERT);
    if (p.eat(TK_OR)) or = parseResolveType(p);
  }
  p.expect(TK_INTO);
  const { schema, name: table } = parseQualifiedName(p);
  const alias = p.eat(TK_AS) ? p.name() : undefined;
  const columns = p.peek() === TK_LP ? parseParenIdList(p) : undefined;
  const base = { kind: 'insert', with: withClause, or, schema, table, alias, columns } as const;
  if (p.eat(TK_DEFAULT)) {
    p.expect(TK_VALUES);
    return { ...base, source: { kind: 'defaults' }, upsert: [], returning: parseReturning(p) };
  }
  p.insertSelect++;
  const query = parseSelect(p);
  p.insertSelect--;
  const plainValues =
    query.with === undefined && query.compounds.length === 0 && query.first.kind === 'values' && query.orderBy.length === 0 && query.limit === undefined;
  const source: InsertStatement['source'] =
    plainValues && query.first.kind === 'values' ? { kind: 'values', rows: query.first.rows } : { kind: 'select', query };
  const upsert = parseUpserts(p);
  return { ...base, source, upsert, returning: parseReturning(p) };
}

/** `ON CONFLICT [(target) [WHERE …]] DO NOTHING | DO UPDATE SET … [WHERE …]`, repeated; only the last may omit the target. */
function parseUpserts(p: Parser): UpsertClause[] {
  const clauses: UpsertClause[] = [];
  while (p.peek() === TK_ON) {
    p.pos++;
    p.expect(TK_CONFLICT);
    let target: UpsertClause['target'];
    if (p.eat(TK_LP)) {
      const columns = parseOrderingTerms(p).map(toIndexedColumn);
      p.expect(TK_RP);
      target = { columns, where: parseWhere(p) };
    }
    p.expect(TK_DO);
    let action: UpsertClause['action'];
    if (p.eat(TK_NOTHING)) action = { kind: 'nothing' };
    else {
      p.expect(TK_UPDATE);
      p.expect(TK_SET);
      const sets = parseSetList(p);
      action = { kind: 'update', sets, where: parseWhere(p) };
    }
    clauses.push({ target, action });
    if (target === undefined) break;
  }
  return clauses;
}

/** `a = e, (b, c) = e, …`. */
function parseSetList(p: Parser): SetClause[] {
  const sets: SetClause[] = [];
  do {
    let columns: string[];
    if (p.eat(TK_LP)) {
      columns = parseIdList(p);
      p.expect(TK_RP);
    } else {
      columns = [p.name()];
    }
    p.expect(TK_EQ);
    sets.push({ columns, value: parseExpr(p) });
  } while (p.eat(TK_COMMA));
  return sets;
}

/** parse.y `xfullname indexed_opt`: `[schema.]name [AS alias] [INDEXED BY i | NOT INDEXED]`. */
function parseTarget(p: Parser): TableSource {
  const { schema, name } = parseQualifiedName(p);
  const alias = p.eat(TK_AS) ? p.name() : undefined;
  return { kind: 'table', schema, name, alias, indexedBy: parseIndexedBy(p), args: undefined };
}

function parseOrderByAndLimit(p: Parser): { orderBy: readonly OrderingTerm[]; limit: Expr | undefined; offset: Expr | undefined } {
  let orderBy: readonly OrderingTerm[] = [];
  if (p.eat(TK_ORDER)) {
    p.expect(TK_BY);
    orderBy = parseOrderingTerms(p);
  }
  return { orderBy, ...parseLimit(p) };
}

export function parseUpdate(p: Parser, withClause: WithClause | undefined): UpdateStatement {
  p.expect(TK_UPDATE);
  const or = p.eat(TK_OR) ? parseResolveType(p) : undefined;
  const target = parseTarget(p);
  p.expect(TK_SET);
  const sets = parseSetList(p);
  const from = p.eat(TK_FROM) ? parseFromClause(p) : undefined;
  const where = parseWhere(p);
  const returning = parseReturning(p);
  return { kind: 'update', with: withClause, or, target, sets, from, where, returning, ...parseOrderByAndLimit(p) };
}

export function parseDelete(p: Parser, withClause: WithClause | undefined): DeleteStatement {
  p.expect(TK_DELETE);
  p.expect(TK_FROM);
  const target = parseTarget(p);
  const where = parseWhere(p);
  const returning = parseReturning(p);
  return { kind: 'delete', with: withClause, target, where, returning, ...parseOrderByAndLimit(p) };
}
