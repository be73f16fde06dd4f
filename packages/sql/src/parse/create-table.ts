/**
 * CREATE TABLE and the column definitions ALTER TABLE ADD COLUMN shares (parse.y
 * `create_table_args`, `columnname carglist`, `ccons`, `tcons`, `refargs`, `table_option`).
 * CHECK, DEFAULT and GENERATED keep their source text, as SQLite stores it in the schema.
 */
import type { Expr } from './ast.js';
import type {
  ColumnConstraint,
  ColumnDefinition,
  ConflictResolution,
  CreateTableStatement,
  ForeignKeyAction,
  ForeignKeyClause,
  TableConstraint,
} from './ast-statements.js';
import { applyPrefix, parseExpr } from './expressions.js';
import {
  IS_ID,
  IS_IDS,
  IS_NM,
  TK_ACTION,
  TK_ALWAYS,
  TK_AS,
  TK_ASC,
  TK_AUTOINCR,
  TK_CASCADE,
  TK_CHECK,
  TK_COLLATE,
  TK_COMMA,
  TK_CONFLICT,
  TK_CONSTRAINT,
  TK_DEFAULT,
  TK_DEFERRABLE,
  TK_DEFERRED,
  TK_DELETE,
  TK_DESC,
  TK_EXISTS,
  TK_FOREIGN,
  TK_GENERATED,
  TK_IF,
  TK_IMMEDIATE,
  TK_INDEXED,
  TK_INITIALLY,
  TK_INSERT,
  TK_KEY,
  TK_LP,
  TK_MATCH,
  TK_MINUS,
  TK_NO,
  TK_NOT,
  TK_NULL,
  TK_ON,
  TK_PLUS,
  TK_PRIMARY,
  TK_REFERENCES,
  TK_RESTRICT,
  TK_RP,
  TK_SET,
  TK_UNIQUE,
  TK_UPDATE,
  TK_WITHOUT,
} from './keywords.js';
import { parseEidList, parseQualifiedName, parseTypeName } from './names.js';
import type { Parser } from './parser-core.js';
import { parseTerm } from './primary.js';
import { parseSelect } from './select.js';
import { parseResolveType, toIndexedColumn } from './statements-dml.js';
import { parseOrderingTerms } from './windows.js';

/** `IF NOT EXISTS` (optional). */
export function parseIfNotExists(p: Parser): boolean {
  if (p.peek() !== TK_IF) return false;
  p.pos++;
  p.expect(TK_NOT);
  p.expect(TK_EXISTS);
  return true;
}

/** The rest of `CREATE [TEMP] TABLE` after the TABLE keyword; `first` is the CREATE token. */
export function parseCreateTable(p: Parser, first: number, temp: boolean): CreateTableStatement {
  const ifNotExists = parseIfNotExists(p);
  const { schema, name } = parseQualifiedName(p);
  const base = { kind: 'createTable', temp, ifNotExists, schema, name } as const;
  if (p.eat(TK_AS)) {
    const asSelect = parseSelect(p);
    return { ...base, text: p.span(first, p.pos - 1), columns: [], constraints: [], withoutRowid: false, strict: false, asSelect };
  }
  p.expect(TK_LP);
  const columns: ColumnDefinition[] = [parseColumnDefinition(p)];
  const constraints: TableConstraint[] = [];
  while (p.eat(TK_COMMA)) {
    if (startsTableConstraint(p.peek())) {
      // parse.y `conslist`: table constraints, separated by commas or by nothing at all.
      for (;;) {
        constraints.push(parseTableConstraint(p));
        if (!p.eat(TK_COMMA) && !startsTableConstraint(p.peek())) break;
      }
      break;
    }
    columns.push(parseColumnDefinition(p));
  }
  p.expect(TK_RP);
  let withoutRowid = false;
  let strict = false;
  if (IS_NM[p.peek()] === 1) {
    do {
      const index = p.pos;
      if (p.eat(TK_WITHOUT)) {
        const optionIndex = p.pos;
        p.name();
        if (!p.isWord(optionIndex, 'ROWID')) throw p.errorAt(optionIndex, `unknown table option: ${p.text(optionIndex)}`);
        withoutRowid = true;
      } else {
        p.name();
        if (!p.isWord(index, 'STRICT')) throw p.errorAt(index, `unknown table option: ${p.text(index)}`);
        strict = true;
      }
    } while (p.eat(TK_COMMA));
  }
  return { ...base, text: p.span(first, p.pos - 1), columns, constraints, withoutRowid, strict, asSelect: undefined };
}

function startsTableConstraint(type: number): boolean {
  return type === TK_CONSTRAINT || type === TK_PRIMARY || type === TK_UNIQUE || type === TK_CHECK || type === TK_FOREIGN;
}

/** `name [type] [constraint…]`. */
export function parseColumnDefinition(p: Parser): ColumnDefinition {
  const name = p.name();
  const type = parseTypeName(p, true);
  const constraints: ColumnConstraint[] = [];
  let constraintName: string | undefined;
  for (;;) {
    if (p.eat(TK_CONSTRAINT)) {
      constraintName = p.name();
      continue;
    }
    if (isDeferClauseStart(p)) {
      // A separate ccons in parse.y that qualifies the column's most recent REFERENCES.
      const deferred = parseDeferClause(p);
      const last = constraints.length - 1;
      const previous = constraints[last];
      if (previous?.kind === 'references') {
        constraints[last] = { ...previous, foreignKey: { ...previous.foreignKey, deferred } };
      }
      continue;
    }
    const constraint = parseColumnConstraint(p, constraintName);
    if (constraint === undefined) break;
    constraints.push(constraint);
    constraintName = undefined;
  }
  return { name, type, constraints };
}

function parseColumnConstraint(p: Parser, name: string | undefined): ColumnConstraint | undefined {
  switch (p.peek()) {
    case TK_DEFAULT:
      p.pos++;
      return { name, kind: 'default', ...parseDefault(p) };
    case TK_NULL:
      p.pos++;
      parseOnConflict(p);
      return { name, kind: 'null' };
    case TK_NOT:
      p.pos++;
      p.expect(TK_NULL);
      return { name, kind: 'notNull', onConflict: parseOnConflict(p) };
    case TK_PRIMARY: {
      p.pos++;
      p.expect(TK_KEY);
      const desc = p.eat(TK_DESC);
      if (!desc) p.eat(TK_ASC);
      const onConflict = parseOnConflict(p);
      return { name, kind: 'primaryKey', desc, onConflict, autoincrement: p.eat(TK_AUTOINCR) };
    }
    case TK_UNIQUE:
      p.pos++;
      return { name, kind: 'unique', onConflict: parseOnConflict(p) };
    case TK_CHECK:
      p.pos++;
      return { name, kind: 'check', ...parseParenthesizedExpr(p) };
    case TK_REFERENCES:
      p.pos++;
      return { name, kind: 'references', foreignKey: parseForeignKeyClause(p) };
    case TK_COLLATE:
      p.pos++;
      return { name, kind: 'collate', collation: p.name(IS_IDS).toUpperCase() };
    case TK_GENERATED:
      p.pos++;
      p.expect(TK_ALWAYS);
      p.expect(TK_AS);
      return { name, kind: 'generated', ...parseGenerated(p) };
    case TK_AS:
      p.pos++;
      return { name, kind: 'generated', ...parseGenerated(p) };
    default:
      return undefined;
  }
}

/** `( expr )`, with the source text between the parentheses. */
function parseParenthesizedExpr(p: Parser): { expr: Expr; text: string } {
  p.expect(TK_LP);
  const first = p.pos;
  const expr = parseExpr(p);
  const text = p.span(first, p.pos - 1);
  p.expect(TK_RP);
  return { expr, text };
}

/** After DEFAULT: `(expr)`, `[+|-] term`, `term`, or a bare identifier (a string; TRUE/FALSE → 1/0). */
function parseDefault(p: Parser): { expr: Expr; text: string } {
  if (p.peek() === TK_LP) return parseParenthesizedExpr(p);
  const first = p.pos;
  const sign = p.peek();
  if (sign === TK_PLUS || sign === TK_MINUS) {
    p.pos++;
    const term = parseTerm(p, sign === TK_MINUS);
    if (term === undefined) throw p.syntaxError();
    const expr = sign === TK_MINUS ? applyPrefix(p, first, term) : term;
    return { expr, text: p.span(first, p.pos - 1) };
  }
  const term = parseTerm(p, false);
  if (term !== undefined) return { expr: term, text: p.span(first, p.pos - 1) };
  if (IS_ID[sign] !== 1) throw p.syntaxError();
  const word = p.nameOf(p.pos++);
  // isWord compares the raw token, so a quoted "true" stays the string 'true', as in SQLite.
  let expr: Expr = { kind: 'literal', value: word };
  if (p.isWord(first, 'TRUE')) expr = { kind: 'literal', value: 1n };
  if (p.isWord(first, 'FALSE')) expr = { kind: 'literal', value: 0n };
  return { expr, text: p.text(first) };
}

/** `( expr ) [STORED|VIRTUAL]` after `[GENERATED ALWAYS] AS`. */
function parseGenerated(p: Parser): { expr: Expr; text: string; stored: boolean } {
  const { expr, text } = parseParenthesizedExpr(p);
  const type = p.peek();
  let stored = false;
  if (IS_ID[type] === 1 && type !== TK_INDEXED && type !== TK_GENERATED) {
    const index = p.pos++;
    if (p.isWord(index, 'STORED')) stored = true;
    else if (!p.isWord(index, 'VIRTUAL')) throw p.errorAt(index, `error in generated column "${p.text(index)}"`);
  }
  return { expr, text, stored };
}

/** `ON CONFLICT resolution` (optional). */
function parseOnConflict(p: Parser): ConflictResolution | undefined {
  if (p.peek() !== TK_ON || p.peekAt(1) !== TK_CONFLICT) return undefined;
  p.pos += 2;
  return parseResolveType(p);
}

function parseTableConstraint(p: Parser): TableConstraint {
  const name = p.eat(TK_CONSTRAINT) ? p.name() : undefined;
  switch (p.peek()) {
    case TK_PRIMARY: {
      p.pos++;
      p.expect(TK_KEY);
      p.expect(TK_LP);
      const columns = parseOrderingTerms(p).map(toIndexedColumn);
      const autoincrement = p.eat(TK_AUTOINCR);
      p.expect(TK_RP);
      return { name, kind: 'primaryKey', columns, onConflict: parseOnConflict(p), autoincrement };
    }
    case TK_UNIQUE: {
      p.pos++;
      p.expect(TK_LP);
      const columns = parseOrderingTerms(p).map(toIndexedColumn);
      p.expect(TK_RP);
      return { name, kind: 'unique', columns, onConflict: parseOnConflict(p) };
    }
    case TK_CHECK: {
      p.pos++;
      const check = parseParenthesizedExpr(p);
      parseOnConflict(p);
      return { name, kind: 'check', ...check };
    }
    case TK_FOREIGN: {
      p.pos++;
      p.expect(TK_KEY);
      const columns = parseEidList(p);
      p.expect(TK_REFERENCES);
      return { name, kind: 'foreignKey', columns, foreignKey: parseForeignKeyClause(p) };
    }
    default:
      throw p.syntaxError();
  }
}

/** After REFERENCES: `table [(cols)] [ON DELETE|UPDATE|INSERT action | MATCH name]… [defer clause]`. */
function parseForeignKeyClause(p: Parser): ForeignKeyClause {
  const table = p.name();
  const columns = p.peek() === TK_LP ? parseEidList(p) : [];
  let onDelete: ForeignKeyAction | undefined;
  let onUpdate: ForeignKeyAction | undefined;
  for (;;) {
    if (p.eat(TK_MATCH)) {
      p.name();
    } else if (p.peek() === TK_ON && p.peekAt(1) !== TK_CONFLICT) {
      p.pos++;
      const event = p.peek();
      if (event !== TK_DELETE && event !== TK_UPDATE && event !== TK_INSERT) throw p.syntaxError();
      p.pos++;
      const action = parseForeignKeyAction(p);
      if (event === TK_DELETE) onDelete = action;
      else if (event === TK_UPDATE) onUpdate = action;
    } else break;
  }
  const deferred = isDeferClauseStart(p) ? parseDeferClause(p) : false;
  return { table, columns, onDelete, onUpdate, deferred };
}

function parseForeignKeyAction(p: Parser): ForeignKeyAction {
  if (p.eat(TK_SET)) {
    if (p.eat(TK_NULL)) return 'SET NULL';
    p.expect(TK_DEFAULT);
    return 'SET DEFAULT';
  }
  if (p.eat(TK_CASCADE)) return 'CASCADE';
  if (p.eat(TK_RESTRICT)) return 'RESTRICT';
  p.expect(TK_NO);
  p.expect(TK_ACTION);
  return 'NO ACTION';
}

function isDeferClauseStart(p: Parser): boolean {
  return p.peek() === TK_DEFERRABLE || (p.peek() === TK_NOT && p.peekAt(1) === TK_DEFERRABLE);
}

/** `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`; true only for DEFERRABLE INITIALLY DEFERRED. */
function parseDeferClause(p: Parser): boolean {
  const not = p.eat(TK_NOT);
  p.expect(TK_DEFERRABLE);
  let initiallyDeferred = false;
  if (p.eat(TK_INITIALLY)) {
    if (p.eat(TK_DEFERRED)) initiallyDeferred = true;
    else p.expect(TK_IMMEDIATE);
  }
  return !not && initiallyDeferred;
}
