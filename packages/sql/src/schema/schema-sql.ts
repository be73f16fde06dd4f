import { tokenize, type TokenStream } from '../parse/lexer.js';
import {
  isKeywordWord,
  IS_NM,
  TK_CHECK,
  TK_COMMA,
  TK_CONSTRAINT,
  TK_DOT,
  TK_EOF,
  TK_EXISTS,
  TK_FOREIGN,
  TK_IF,
  TK_INDEX,
  TK_LP,
  TK_NOT,
  TK_PRIMARY,
  TK_RP,
  TK_TABLE,
  TK_TEMP,
  TK_TRIGGER,
  TK_UNIQUE,
  TK_VIEW,
} from '../parse/keywords.js';
import type { TableDef } from './schema.js';

// The text sqlite_master.sql holds, as SQLite writes it: the CREATE statement as written, from the
// object's (unqualified) name on, after a canonical `CREATE TABLE` / `CREATE VIEW` /
// `CREATE [UNIQUE] INDEX` / `CREATE TRIGGER` (so `create temp table if not exists main.t(…)` is
// kept as `CREATE TABLE t(…)`); and the positions ALTER TABLE edits in a CREATE TABLE text.

/** SQLite's `"%w"`: a name in double quotes, inner quotes doubled. */
export function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** SQLite's identPut(): the name bare when it is a plain identifier and no keyword, else quoted. */
export function identPut(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !isKeywordWord(name) ? name : quoteName(name);
}

/** The token index of the object's name in a CREATE statement (after TEMP, IF NOT EXISTS and a schema). */
function nameToken(tokens: TokenStream): number {
  let i = 1; // CREATE
  if (tokens.types[i] === TK_TEMP) i++;
  if (tokens.types[i] === TK_UNIQUE) i++;
  const kind = tokens.types[i];
  if (kind === TK_TABLE || kind === TK_VIEW || kind === TK_INDEX || kind === TK_TRIGGER) i++;
  if (tokens.types[i] === TK_IF && tokens.types[i + 1] === TK_NOT && tokens.types[i + 2] === TK_EXISTS) i += 3;
  if (tokens.types[i + 1] === TK_DOT) i += 2;
  return i;
}

/** `CREATE …` as written → as sqlite_master keeps it. `what` is 'TABLE', 'VIEW', 'INDEX', 'UNIQUE INDEX' or 'TRIGGER'. */
export function normalizeCreateSql(text: string, what: string): string {
  const tokens = tokenize(text);
  return `CREATE ${what} ${text.slice(tokens.starts[nameToken(tokens)])}`;
}

/** CREATE TABLE … AS SELECT's text, as SQLite makes it: `CREATE TABLE t(a INT,b TEXT,c)`. */
export function ctasSql(name: string, columns: readonly { readonly name: string; readonly declaredType: string }[]): string {
  return `CREATE TABLE ${identPut(name)}(${columns.map((c) => (c.declaredType ? `${identPut(c.name)} ${c.declaredType}` : identPut(c.name))).join(',')})`;
}

/** A CREATE TABLE text for a table stored before its text was kept, rebuilt from its definition. */
export function tableSqlOf(table: TableDef): string {
  if (table.sql !== undefined) return table.sql;
  const implicitUnique = table.indexes.filter((i) => i.implicit && i.unique);
  const parts = table.columns.map((c, i) => {
    let s = identPut(c.name);
    if (c.declaredType) s += ` ${c.declaredType}`;
    if (table.primaryKey.length === 1 && table.primaryKey[0] === i) s += table.autoincrement ? ' PRIMARY KEY AUTOINCREMENT' : ' PRIMARY KEY';
    if (c.notNull) s += ' NOT NULL';
    if (c.defaultSql !== undefined) s += ` DEFAULT ${c.defaultText ?? c.defaultSql}`;
    if (c.collation) s += ` COLLATE ${c.collation}`;
    return s;
  });
  const names = (cols: readonly number[]) => cols.map((c) => identPut(table.columns[c]!.name)).join(', ');
  if (table.primaryKey.length > 1) parts.push(`PRIMARY KEY (${names(table.primaryKey)})`);
  for (const u of implicitUnique) parts.push(`UNIQUE (${names(u.columns)})`);
  for (const c of table.checks) parts.push(`CHECK (${c.sql})`);
  for (const fk of table.foreignKeys)
    parts.push(
      `FOREIGN KEY (${names(fk.columns)}) REFERENCES ${identPut(fk.refTable)}${fk.refColumns.length > 0 ? ` (${fk.refColumns.map(identPut).join(', ')})` : ''}`,
    );
  return `CREATE TABLE ${identPut(table.name)} (${parts.join(', ')})`;
}

/** Where ALTER TABLE edits a CREATE TABLE text: each column definition's name, and where a new column goes. */
export interface ColumnLayout {
  /** Start of each column definition's name token, in column order. */
  readonly columnStarts: readonly number[];
  /**
   * SQLite's addColOffset: the comma before the first table constraint, else the closing
   * parenthesis. ADD COLUMN inserts `, <definition>` here.
   */
  readonly addColOffset: number;
}

/** The layout of a `CREATE TABLE name(…)` text; undefined for a text without a column list. */
export function columnLayout(sql: string): ColumnLayout | undefined {
  const tokens = tokenize(sql);
  let i = nameToken(tokens) + 1;
  if (tokens.types[i] !== TK_LP) return undefined;
  const columnStarts: number[] = [];
  let depth = 0;
  let itemStart = true;
  for (i++; i < tokens.count; i++) {
    const type = tokens.types[i]!;
    if (type === TK_EOF) return undefined;
    if (itemStart && depth === 0) {
      itemStart = false;
      if (type === TK_CONSTRAINT || type === TK_PRIMARY || type === TK_UNIQUE || type === TK_CHECK || type === TK_FOREIGN) {
        // The comma before the first table constraint.
        return { columnStarts, addColOffset: tokens.starts[i - 1]! };
      }
      if (IS_NM[type] === 1) columnStarts.push(tokens.starts[i]!);
    }
    if (type === TK_LP) depth++;
    else if (type === TK_RP) {
      if (depth === 0) return { columnStarts, addColOffset: tokens.starts[i]! };
      depth--;
    } else if (type === TK_COMMA && depth === 0) itemStart = true;
  }
  return undefined;
}

/** ALTER TABLE … ADD COLUMN's edit: `, <definition as written>` at addColOffset. */
export function addColumnSql(sql: string, definition: string): string {
  const layout = columnLayout(sql);
  if (!layout) return sql;
  const text = definition.replace(/[\s;]+$/, '');
  return `${sql.slice(0, layout.addColOffset)}, ${text}${sql.slice(layout.addColOffset)}`;
}

/**
 * ALTER TABLE … DROP COLUMN's edit (sqlite_drop_column): a column's definition up to the next
 * column's name goes; the last column's goes from the comma before it to where a new column
 * would be added.
 */
export function dropColumnSql(sql: string, column: number): string {
  const layout = columnLayout(sql);
  if (!layout || column >= layout.columnStarts.length) return sql;
  const start = layout.columnStarts[column]!;
  if (column < layout.columnStarts.length - 1) return sql.slice(0, start) + sql.slice(layout.columnStarts[column + 1]);
  let from = start;
  while (from > 0 && sql[from] !== ',') from--;
  return sql.slice(0, from) + sql.slice(layout.addColOffset);
}
