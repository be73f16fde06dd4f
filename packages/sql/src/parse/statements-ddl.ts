/**
 * CREATE (TABLE, INDEX, VIEW, TRIGGER), DROP and ALTER TABLE. Each CREATE keeps its exact source
 * text (first token to last, without the trailing `;`), which is what SQLite stores in
 * sqlite_schema.sql.
 */
import type { Expr } from './ast.js';
import type {
  AlterTableStatement,
  CreateIndexStatement,
  CreateTriggerStatement,
  CreateViewStatement,
  DropStatement,
  Statement,
  TriggerBodyStatement,
} from './ast-statements.js';
import { parseColumnDefinition, parseCreateTable, parseIfNotExists } from './create-table.js';
import { parseExpr } from './expressions.js';
import {
  TK_ADD,
  TK_AFTER,
  TK_ALTER,
  TK_AS,
  TK_BEFORE,
  TK_BEGIN,
  TK_COLUMNKW,
  TK_CREATE,
  TK_DELETE,
  TK_DROP,
  TK_EACH,
  TK_END,
  TK_EXISTS,
  TK_FOR,
  TK_IF,
  TK_INDEX,
  TK_INSERT,
  TK_INSTEAD,
  TK_LP,
  TK_OF,
  TK_ON,
  TK_RENAME,
  TK_REPLACE,
  TK_ROW,
  TK_RP,
  TK_SEMI,
  TK_TABLE,
  TK_TEMP,
  TK_TO,
  TK_TRIGGER,
  TK_UNIQUE,
  TK_UPDATE,
  TK_VIEW,
  TK_WHEN,
  TK_WHERE,
  startsSelect,
} from './keywords.js';
import { parseEidList, parseIdList, parseQualifiedName } from './names.js';
import type { Parser } from './parser-core.js';
import { parseSelect } from './select.js';
import { parseDelete, parseInsert, parseUpdate, toIndexedColumn } from './statements-dml.js';
import { parseOrderingTerms } from './windows.js';

export function parseCreate(p: Parser): Statement {
  const first = p.expect(TK_CREATE);
  const temp = p.eat(TK_TEMP);
  switch (p.peek()) {
    case TK_TABLE:
      p.pos++;
      return parseCreateTable(p, first, temp);
    case TK_VIEW:
      p.pos++;
      return parseCreateView(p, first, temp);
    case TK_TRIGGER:
      p.pos++;
      return parseCreateTrigger(p, first, temp);
    case TK_UNIQUE:
    case TK_INDEX:
      if (!temp) return parseCreateIndex(p, first);
      throw p.syntaxError();
    default:
      throw p.syntaxError();
  }
}

function parseCreateIndex(p: Parser, first: number): CreateIndexStatement {
  const unique = p.eat(TK_UNIQUE);
  p.expect(TK_INDEX);
  const ifNotExists = parseIfNotExists(p);
  const { schema, name } = parseQualifiedName(p);
  p.expect(TK_ON);
  const table = p.name();
  p.expect(TK_LP);
  const columns = parseOrderingTerms(p).map(toIndexedColumn);
  p.expect(TK_RP);
  const where = parseOptionalWhere(p);
  return { kind: 'createIndex', text: p.span(first, p.pos - 1), unique, ifNotExists, schema, name, table, columns, where };
}

function parseOptionalWhere(p: Parser): Expr | undefined {
  return p.eat(TK_WHERE) ? parseExpr(p) : undefined;
}

function parseCreateView(p: Parser, first: number, temp: boolean): CreateViewStatement {
  const ifNotExists = parseIfNotExists(p);
  const { schema, name } = parseQualifiedName(p);
  const columns = p.peek() === TK_LP ? parseEidList(p) : undefined;
  p.expect(TK_AS);
  const query = parseSelect(p);
  return { kind: 'createView', text: p.span(first, p.pos - 1), temp, ifNotExists, schema, name, columns, query };
}

function parseCreateTrigger(p: Parser, first: number, temp: boolean): CreateTriggerStatement {
  const ifNotExists = parseIfNotExists(p);
  const { schema, name } = parseQualifiedName(p);
  let timing: CreateTriggerStatement['timing'] = 'BEFORE';
  if (p.eat(TK_BEFORE)) timing = 'BEFORE';
  else if (p.eat(TK_AFTER)) timing = 'AFTER';
  else if (p.eat(TK_INSTEAD)) {
    p.expect(TK_OF);
    timing = 'INSTEAD OF';
  }
  let event: CreateTriggerStatement['event'];
  let columns: string[] | undefined;
  if (p.eat(TK_DELETE)) event = 'DELETE';
  else if (p.eat(TK_INSERT)) event = 'INSERT';
  else {
    p.expect(TK_UPDATE);
    event = 'UPDATE';
    if (p.eat(TK_OF)) columns = parseIdList(p);
  }
  p.expect(TK_ON);
  // The table may be written schema-qualified; the trigger lives in the schema named before it.
  const table = parseQualifiedName(p).name;
  let forEachRow = false;
  if (p.eat(TK_FOR)) {
    p.expect(TK_EACH);
    p.expect(TK_ROW);
    forEachRow = true;
  }
  const when = p.eat(TK_WHEN) ? parseExpr(p) : undefined;
  p.expect(TK_BEGIN);
  const body: TriggerBodyStatement[] = [];
  do {
    body.push(parseTriggerStep(p));
    p.expect(TK_SEMI);
  } while (p.peek() !== TK_END);
  const last = p.expect(TK_END);
  const text = p.span(first, last);
  return { kind: 'createTrigger', text, temp, ifNotExists, schema, name, timing, event, columns, table, forEachRow, when, body };
}

/** One statement of a trigger body (parse.y `trigger_cmd`). */
function parseTriggerStep(p: Parser): TriggerBodyStatement {
  switch (p.peek()) {
    case TK_UPDATE:
      return parseUpdate(p, undefined);
    case TK_INSERT:
    case TK_REPLACE:
      return parseInsert(p, undefined);
    case TK_DELETE:
      return parseDelete(p, undefined);
    default:
      if (!startsSelect(p.peek())) throw p.syntaxError();
      return { kind: 'select', query: parseSelect(p) };
  }
}

export function parseDrop(p: Parser): DropStatement {
  p.expect(TK_DROP);
  let object: DropStatement['object'];
  switch (p.peek()) {
    case TK_TABLE:
      object = 'TABLE';
      break;
    case TK_INDEX:
      object = 'INDEX';
      break;
    case TK_VIEW:
      object = 'VIEW';
      break;
    case TK_TRIGGER:
      object = 'TRIGGER';
      break;
    default:
      throw p.syntaxError();
  }
  p.pos++;
  let ifExists = false;
  if (p.eat(TK_IF)) {
    p.expect(TK_EXISTS);
    ifExists = true;
  }
  const { schema, name } = parseQualifiedName(p);
  return { kind: 'drop', object, ifExists, schema, name };
}

export function parseAlter(p: Parser): AlterTableStatement {
  p.expect(TK_ALTER);
  p.expect(TK_TABLE);
  const { schema, name: table } = parseQualifiedName(p);
  const base = { kind: 'alterTable', schema, table } as const;
  if (p.eat(TK_RENAME)) {
    if (p.eat(TK_TO)) return { ...base, action: { kind: 'renameTable', to: p.name() } };
    p.eat(TK_COLUMNKW);
    const from = p.name();
    p.expect(TK_TO);
    const quoted = /^["'`[]/.test(p.text(p.pos));
    return { ...base, action: { kind: 'renameColumn', from, to: p.name(), ...(quoted ? { quoted } : {}) } };
  }
  if (p.eat(TK_ADD)) {
    p.eat(TK_COLUMNKW);
    const first = p.pos;
    const column = parseColumnDefinition(p);
    return { ...base, action: { kind: 'addColumn', column, text: p.span(first, p.pos - 1) } };
  }
  p.expect(TK_DROP);
  p.eat(TK_COLUMNKW);
  return { ...base, action: { kind: 'dropColumn', column: p.name() } };
}
