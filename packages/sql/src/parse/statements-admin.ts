/**
 * Transaction control, savepoints, PRAGMA, VACUUM, REINDEX and ANALYZE (parse.y `cmd` rules of
 * the same names).
 */
import type {
  AnalyzeStatement,
  BeginStatement,
  CommitStatement,
  PragmaStatement,
  ReindexStatement,
  ReleaseStatement,
  RollbackStatement,
  SavepointStatement,
  VacuumStatement,
} from './ast-statements.js';
import { parseExpr } from './expressions.js';
import {
  IS_NM,
  TK_BEGIN,
  TK_DEFAULT,
  TK_DEFERRED,
  TK_DELETE,
  TK_DOT,
  TK_EQ,
  TK_EXCLUSIVE,
  TK_FLOAT,
  TK_IMMEDIATE,
  TK_INTEGER,
  TK_INTO,
  TK_LP,
  TK_MINUS,
  TK_ON,
  TK_PLUS,
  TK_PRAGMA,
  TK_RELEASE,
  TK_ROLLBACK,
  TK_RP,
  TK_SAVEPOINT,
  TK_TO,
  TK_TRANSACTION,
  TK_VACUUM,
} from './keywords.js';
import { decodeFloat, decodeInteger } from './literals.js';
import { parseQualifiedName } from './names.js';
import type { Parser } from './parser-core.js';

/** parse.y `trans_opt`: `[TRANSACTION [name]]`. */
function parseTransactionOption(p: Parser): void {
  if (p.eat(TK_TRANSACTION) && IS_NM[p.peek()] === 1) p.pos++;
}

export function parseBegin(p: Parser): BeginStatement {
  p.expect(TK_BEGIN);
  let mode: BeginStatement['mode'];
  if (p.eat(TK_DEFERRED)) mode = 'DEFERRED';
  else if (p.eat(TK_IMMEDIATE)) mode = 'IMMEDIATE';
  else if (p.eat(TK_EXCLUSIVE)) mode = 'EXCLUSIVE';
  parseTransactionOption(p);
  return { kind: 'begin', mode };
}

/** `COMMIT` or `END`, then `[TRANSACTION [name]]`. */
export function parseCommit(p: Parser): CommitStatement {
  p.pos++;
  parseTransactionOption(p);
  return { kind: 'commit' };
}

export function parseRollback(p: Parser): RollbackStatement {
  p.expect(TK_ROLLBACK);
  parseTransactionOption(p);
  if (!p.eat(TK_TO)) return { kind: 'rollback', savepoint: undefined };
  p.eat(TK_SAVEPOINT);
  return { kind: 'rollback', savepoint: p.name() };
}

export function parseSavepoint(p: Parser): SavepointStatement {
  p.expect(TK_SAVEPOINT);
  return { kind: 'savepoint', name: p.name() };
}

export function parseRelease(p: Parser): ReleaseStatement {
  p.expect(TK_RELEASE);
  p.eat(TK_SAVEPOINT);
  return { kind: 'release', name: p.name() };
}

/** `PRAGMA [schema.]name [= value | (value)]`; a value is a signed number, a name, a string, ON, DELETE or DEFAULT. */
export function parsePragma(p: Parser): PragmaStatement {
  p.expect(TK_PRAGMA);
  const { schema, name } = parseQualifiedName(p);
  let value: PragmaStatement['value'];
  if (p.eat(TK_EQ)) value = parsePragmaValue(p);
  else if (p.eat(TK_LP)) {
    value = parsePragmaValue(p);
    p.expect(TK_RP);
  }
  return { kind: 'pragma', schema, name: name.toLowerCase(), value };
}

function parsePragmaValue(p: Parser): string | number | bigint {
  const negative = p.eat(TK_MINUS);
  if (!negative) p.eat(TK_PLUS);
  const index = p.pos;
  const type = p.peek();
  if (type === TK_INTEGER || type === TK_FLOAT) {
    p.pos++;
    const start = p.starts[index]!;
    const end = p.ends[index]!;
    const value = type === TK_FLOAT ? decodeFloat(p.src, start, end) : decodeInteger(p.src, start, end).value;
    if (!negative) return value;
    return typeof value === 'bigint' ? -value : -value;
  }
  if (negative || p.types[index - 1] === TK_PLUS) throw p.syntaxError();
  if (type === TK_ON || type === TK_DELETE || type === TK_DEFAULT) return p.text(p.pos++);
  return p.name();
}

export function parseVacuum(p: Parser): VacuumStatement {
  p.expect(TK_VACUUM);
  const schema = IS_NM[p.peek()] === 1 ? p.name() : undefined;
  const into = p.eat(TK_INTO) ? parseExpr(p) : undefined;
  return { kind: 'vacuum', schema, into };
}

/** `REINDEX [[schema.]name]` and `ANALYZE [[schema.]name]`. */
export function parseReindexOrAnalyze(p: Parser, kind: 'reindex' | 'analyze'): ReindexStatement | AnalyzeStatement {
  p.pos++;
  if (IS_NM[p.peek()] !== 1) return { kind, schema: undefined, name: undefined };
  const first = p.name();
  if (!p.eat(TK_DOT)) return { kind, schema: undefined, name: first };
  return { kind, schema: first, name: p.name() };
}
