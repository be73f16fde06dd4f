/**
 * Statement dispatch (parse.y `cmd`, `ecmd`, `explain`) and the script loop: statements are
 * separated by `;` tokens the parser itself consumes, so a `;` inside CREATE TRIGGER … BEGIN …
 * END or inside a string never splits a statement.
 */
import { QueryError } from '@sochdb/core';
import type { Expr } from './ast.js';
import type { Statement } from './ast-statements.js';
import { sqlError } from './errors.js';
import { parseExpr } from './expressions.js';
import { GRAMMAR } from './grammar.js';
import {
  TK_ALTER,
  TK_ANALYZE,
  TK_BEGIN,
  TK_COMMIT,
  TK_CREATE,
  TK_DELETE,
  TK_DROP,
  TK_END,
  TK_EOF,
  TK_EXPLAIN,
  TK_INSERT,
  TK_PLAN,
  TK_PRAGMA,
  TK_QUERY,
  TK_REINDEX,
  TK_RELEASE,
  TK_REPLACE,
  TK_ROLLBACK,
  TK_SAVEPOINT,
  TK_SEMI,
  TK_UPDATE,
  TK_VACUUM,
  TK_WITH,
  startsSelect,
} from './keywords.js';
import { tokenize } from './lexer.js';
import { Parser } from './parser-core.js';
import { parseSelect, parseSelectAfterWith, parseWith } from './select.js';
import { parseBegin, parseCommit, parsePragma, parseReindexOrAnalyze, parseRelease, parseRollback, parseSavepoint, parseVacuum } from './statements-admin.js';
import { parseAlter, parseCreate, parseDrop } from './statements-ddl.js';
import { parseDelete, parseInsert, parseUpdate } from './statements-dml.js';

/** Every `;`-separated statement of `sql`; empty statements are skipped. */
export function parseScript(sql: string, maxInListItems = Infinity): Statement[] {
  const p = new Parser(tokenize(sql), GRAMMAR);
  p.maxInListItems = maxInListItems;
  return guardStack(p, () => {
    const statements: Statement[] = [];
    for (;;) {
      while (p.eat(TK_SEMI));
      if (p.peek() === TK_EOF) return statements;
      statements.push(parseExplainable(p));
      if (p.peek() !== TK_SEMI && p.peek() !== TK_EOF) throw p.syntaxError();
    }
  });
}

/** One standalone expression; anything after it (even `;`) is a syntax error. */
export function parseStandaloneExpression(sql: string): Expr {
  const p = new Parser(tokenize(sql), GRAMMAR);
  return guardStack(p, () => {
    const expr = parseExpr(p);
    if (p.peek() !== TK_EOF) throw p.syntaxError();
    return expr;
  });
}

/**
 * The nesting bound keeps recursion well inside the default JS stack; should a caller already be
 * deep in its own stack, an overflow still surfaces as a QueryError rather than a RangeError.
 */
function guardStack<T>(p: Parser, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof QueryError || !(error instanceof RangeError)) throw error;
    throw sqlError(p.src, p.starts[Math.min(p.pos, p.types.length - 1)] ?? 0, 'parser stack overflow');
  }
}

function parseExplainable(p: Parser): Statement {
  if (!p.eat(TK_EXPLAIN)) return parseCommand(p);
  let queryPlan = false;
  if (p.peek() === TK_QUERY) {
    p.pos++;
    p.expect(TK_PLAN);
    queryPlan = true;
  }
  return { kind: 'explain', queryPlan, statement: parseCommand(p) };
}

function parseCommand(p: Parser): Statement {
  const type = p.peek();
  switch (type) {
    case TK_WITH: {
      const withClause = parseWith(p);
      switch (p.peek()) {
        case TK_INSERT:
        case TK_REPLACE:
          return parseInsert(p, withClause);
        case TK_UPDATE:
          return parseUpdate(p, withClause);
        case TK_DELETE:
          return parseDelete(p, withClause);
        default:
          return { kind: 'select', query: parseSelectAfterWith(p, withClause) };
      }
    }
    case TK_INSERT:
    case TK_REPLACE:
      return parseInsert(p, undefined);
    case TK_UPDATE:
      return parseUpdate(p, undefined);
    case TK_DELETE:
      return parseDelete(p, undefined);
    case TK_CREATE:
      return parseCreate(p);
    case TK_DROP:
      return parseDrop(p);
    case TK_ALTER:
      return parseAlter(p);
    case TK_BEGIN:
      return parseBegin(p);
    case TK_COMMIT:
    case TK_END:
      return parseCommit(p);
    case TK_ROLLBACK:
      return parseRollback(p);
    case TK_SAVEPOINT:
      return parseSavepoint(p);
    case TK_RELEASE:
      return parseRelease(p);
    case TK_PRAGMA:
      return parsePragma(p);
    case TK_VACUUM:
      return parseVacuum(p);
    case TK_REINDEX:
      return parseReindexOrAnalyze(p, 'reindex');
    case TK_ANALYZE:
      return parseReindexOrAnalyze(p, 'analyze');
    default:
      if (!startsSelect(type)) throw p.syntaxError();
      return { kind: 'select', query: parseSelect(p) };
  }
}
