import { QueryError } from '@sochdb/core';
import { tokenize } from '../parse/lexer.js';
import { IS_NM, TK_STRING } from '../parse/keywords.js';
import { decodeIdentifier } from '../parse/literals.js';
import { parseSql, type Select, type Statement } from '../parse/index.js';
import { quoteName } from './schema-sql.js';
import { nameKey } from './schema.js';

// ALTER TABLE … RENAME's edit of schema text (SQLite 3.26+, legacy_alter_table off): every token
// of a CREATE TABLE / INDEX / VIEW / TRIGGER text that names the renamed table (or column) is
// replaced, and nothing else is touched. Which tokens those are is decided by the real parser:
// each identifier token spelled like the old name is swapped for a unique placeholder, the text
// is parsed, and the syntax tree says where each placeholder stands (a table in FROM, a column
// of the renamed table, a constraint's name, …). The new name is written quoted, as SQLite
// writes it: always for a table; for a column when the old token or the new name was quoted.

export type RenameRule =
  | { readonly kind: 'table'; readonly table: string; readonly to: string }
  | { readonly kind: 'column'; readonly table: string; readonly column: string; readonly to: string; readonly quoted: boolean };

/** The columns of a table by name (an unqualified column resolves to the FROM item that has it). */
export type ColumnsOf = (table: string) => readonly string[] | undefined;

const PLACEHOLDER = 'x__sochdb_rename_';

/** `sql` with the rule's references renamed; unchanged when it has none. */
export function renameInSql(sql: string, rule: RenameRule, columnsOf: ColumnsOf): string {
  const tokens = tokenize(sql);
  const old = nameKey(rule.kind === 'table' ? rule.table : rule.column);
  const candidates: number[] = [];
  for (let k = 0; k < tokens.count; k++) {
    const type = tokens.types[k]!;
    if (IS_NM[type] !== 1 || type === TK_STRING) continue;
    if (nameKey(decodeIdentifier(sql, tokens.starts[k]!, tokens.ends[k]!)) === old) candidates.push(k);
  }
  if (candidates.length === 0) return sql;
  let marked = '';
  let at = 0;
  for (const k of candidates) {
    marked += sql.slice(at, tokens.starts[k]) + PLACEHOLDER + k;
    at = tokens.ends[k]!;
  }
  marked += sql.slice(at);
  const [statement] = parseSql(marked);
  if (!statement) throw new QueryError(`could not rename in: ${sql}`);
  const hits = new Classifier(rule, columnsOf).statement(statement);
  let out = '';
  at = 0;
  for (const k of candidates) {
    if (!hits.has(k)) continue;
    const original = sql.slice(tokens.starts[k], tokens.ends[k]);
    out += sql.slice(at, tokens.starts[k]) + replacement(rule, original);
    at = tokens.ends[k]!;
  }
  return out + sql.slice(at);
}

function replacement(rule: RenameRule, original: string): string {
  if (rule.kind === 'table') return quoteName(rule.to);
  const bare = /^[A-Za-z0-9_$\u0080-\uffff]/.test(original);
  return bare && !rule.quoted ? rule.to : quoteName(rule.to);
}

/** One FROM item (or NEW / OLD) while resolving names. */
interface Item {
  /** Lower-cased name it is referred to by. */
  readonly alias: string;
  /** It is the renamed table. */
  readonly target: boolean;
  /** Its table's name token, when it is the table itself (not aliased): `t.x` qualifiers name it. */
  readonly byName: boolean;
  /** Lower-cased column names, when known. */
  readonly columns: readonly string[] | undefined;
  /** NEW / OLD, and ON CONFLICT's excluded: only `alias.column` reaches them. */
  readonly qualifiedOnly?: boolean;
}

interface Frame {
  readonly items: readonly Item[];
  readonly parent: Frame | undefined;
  readonly ctes: ReadonlySet<string>;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const isSelect = (v: Record<string, unknown>): v is Record<string, unknown> & Select => 'first' in v && 'compounds' in v;

/** Walks a statement and collects the candidate tokens that name the renamed object. */
class Classifier {
  readonly hits = new Set<number>();
  readonly #table: string;

  constructor(
    private readonly rule: RenameRule,
    private readonly columnsOf: ColumnsOf,
  ) {
    this.#table = nameKey(rule.table);
  }

  /** The token a placeholder stands for, or -1. */
  #token(name: string | undefined): number {
    if (name === undefined || !name.toLowerCase().startsWith(PLACEHOLDER)) return -1;
    return Number(name.slice(PLACEHOLDER.length));
  }

  #mark(name: string | undefined): void {
    const k = this.#token(name);
    if (k >= 0) this.hits.add(k);
  }

  /** The name as written before the placeholders, lower-cased. */
  #real(name: string): string {
    return this.#token(name) >= 0 ? nameKey(this.rule.kind === 'table' ? this.rule.table : this.rule.column) : nameKey(name);
  }

  #isTable(name: string | undefined): boolean {
    return name !== undefined && this.#real(name) === this.#table;
  }

  #columnsOfTable(name: string): readonly string[] | undefined {
    if (this.#isTable(name))
      return this.rule.kind === 'column'
        ? [nameKey(this.rule.column), ...(this.columnsOf(this.rule.table) ?? []).map(nameKey)]
        : this.columnsOf(this.rule.table)?.map(nameKey);
    return this.columnsOf(this.#real(name))?.map(nameKey);
  }

  #tableFrame(name: string, columns: readonly string[] | undefined, parent: Frame | undefined): Frame {
    return {
      items: [{ alias: this.#real(name), target: this.#isTable(name), byName: true, columns: columns ?? this.#columnsOfTable(name) }],
      parent,
      ctes: parent?.ctes ?? new Set(),
    };
  }

  statement(s: Statement): Set<number> {
    switch (s.kind) {
      case 'createTable': {
        if (this.rule.kind === 'table') this.#mark(s.name);
        const own = this.#isTable(s.name) && this.rule.kind === 'column';
        const frame = this.#tableFrame(
          s.name,
          s.columns.map((d) => this.#real(d.name)),
          undefined,
        );
        for (const d of s.columns) {
          if (own) this.#mark(d.name);
          for (const c of d.constraints) {
            if (c.kind === 'references') this.#foreignKey(c.foreignKey);
            else if (c.kind === 'check' || c.kind === 'generated') this.#expr(c.expr, frame);
          }
        }
        for (const t of s.constraints) {
          if (t.kind === 'primaryKey' || t.kind === 'unique') this.#expr(t.columns, frame);
          else if (t.kind === 'check') this.#expr(t.expr, frame);
          else {
            if (own) t.columns.forEach((c) => this.#mark(c));
            this.#foreignKey(t.foreignKey);
          }
        }
        if (s.asSelect) this.#select(s.asSelect, undefined);
        break;
      }
      case 'createIndex':
        if (this.#isTable(s.table)) {
          if (this.rule.kind === 'table') this.#mark(s.table);
          const frame = this.#tableFrame(s.table, undefined, undefined);
          this.#expr(s.columns, frame);
          this.#expr(s.where, frame);
        }
        break;
      case 'createView':
        this.#select(s.query, undefined);
        break;
      case 'createTrigger': {
        const on = this.#isTable(s.table);
        if (on && this.rule.kind === 'table') this.#mark(s.table);
        if (on && this.rule.kind === 'column') (s.columns ?? []).forEach((c) => this.#mark(c));
        const columns = this.#columnsOfTable(s.table);
        const pseudo = (alias: string): Item => ({ alias, target: on, byName: false, columns, qualifiedOnly: true });
        const frame: Frame = { items: [pseudo('new'), pseudo('old')], parent: undefined, ctes: new Set() };
        this.#expr(s.when, frame);
        for (const step of s.body) this.#step(step, frame);
        break;
      }
      case 'select':
        this.#select(s.query, undefined);
        break;
      case 'insert':
      case 'update':
      case 'delete':
        this.#step(s, undefined);
        break;
      default:
        break;
    }
    return this.hits;
  }

  /** A statement of a trigger body (or a top-level write). */
  #step(s: Statement, parent: Frame | undefined): void {
    if (s.kind === 'select') return this.#select(s.query, parent);
    if (s.kind === 'insert') {
      const target = this.#isTable(s.table);
      if (target && this.rule.kind === 'table') this.#mark(s.table);
      if (target && this.rule.kind === 'column') (s.columns ?? []).forEach((c) => this.#mark(c));
      if (s.source.kind === 'values') this.#expr(s.source.rows, parent);
      else if (s.source.kind === 'select') this.#select(s.source.query, parent);
      const frame = this.#tableFrame(s.alias ?? s.table, this.#columnsOfTable(s.table), parent);
      const withExcluded: Frame = {
        ...frame,
        items: [
          { ...frame.items[0]!, target },
          { alias: 'excluded', target, byName: false, columns: frame.items[0]!.columns, qualifiedOnly: true },
        ],
      };
      for (const u of s.upsert) {
        this.#expr(u.target?.columns, withExcluded);
        this.#expr(u.target?.where, withExcluded);
        if (u.action.kind === 'update') this.#sets(u.action.sets, target, withExcluded);
        if (u.action.kind === 'update') this.#expr(u.action.where, withExcluded);
      }
      this.#expr(s.returning, { ...frame, items: [{ ...frame.items[0]!, target }] });
      return;
    }
    if (s.kind !== 'update' && s.kind !== 'delete') return;
    const name = s.target.name;
    const target = this.#isTable(name);
    if (target && this.rule.kind === 'table') this.#mark(name);
    const item: Item = { alias: this.#real(s.target.alias ?? name), target, byName: s.target.alias === undefined, columns: this.#columnsOfTable(name) };
    const frame: Frame = { items: [item], parent, ctes: parent?.ctes ?? new Set() };
    if (s.kind === 'update') this.#sets(s.sets, target, frame);
    this.#expr(s.where, frame);
    this.#expr(s.returning, frame);
  }

  #sets(sets: readonly { readonly columns: readonly string[]; readonly value: unknown }[], target: boolean, frame: Frame): void {
    for (const set of sets) {
      if (target && this.rule.kind === 'column') set.columns.forEach((c) => this.#mark(c));
      this.#expr(set.value, frame);
    }
  }

  #foreignKey(fk: { readonly table: string; readonly columns: readonly string[] }): void {
    if (!this.#isTable(fk.table)) return;
    if (this.rule.kind === 'table') this.#mark(fk.table);
    else fk.columns.forEach((c) => this.#mark(c));
  }

  #select(query: Select, parent: Frame | undefined): void {
    const ctes = new Set(parent?.ctes ?? []);
    for (const cte of query.with?.ctes ?? []) {
      ctes.add(this.#real(cte.name));
      this.#select(cte.query, { items: [], parent, ctes });
    }
    let first: Frame | undefined;
    for (const core of [query.first, ...query.compounds.map((c) => c.core)]) {
      if (core.kind === 'values') {
        this.#expr(core.rows, parent);
        continue;
      }
      const items: Item[] = [];
      const frame: Frame = { items, parent, ctes };
      first ??= frame;
      this.#from(core.from?.items ?? [], items, { items: [], parent, ctes }, frame);
      for (const column of core.columns) {
        if (column.kind === 'tableStar') {
          if (this.rule.kind === 'table' && this.#resolveAlias(column.table, frame)?.byName) this.#mark(column.table);
        } else if (column.kind === 'expr') this.#expr(column.expr, frame);
      }
      this.#expr([core.where, core.groupBy, core.having, core.windows], frame);
    }
    this.#expr([query.orderBy, query.limit, query.offset], first ?? parent);
  }

  #from(
    joined: readonly { readonly item: unknown; readonly on: unknown; readonly using: readonly string[] | undefined }[],
    items: Item[],
    outer: Frame,
    frame: Frame,
  ): void {
    for (const j of joined) {
      const item = j.item as { kind: string; name?: string; alias?: string; args?: unknown; query?: Select; from?: { items: typeof joined } };
      if (item.kind === 'table') {
        const name = item.name!;
        const isTarget = this.#isTable(name) && !frame.ctes.has(this.#real(name));
        if (isTarget && this.rule.kind === 'table') this.#mark(name);
        this.#expr(item.args, outer);
        items.push({
          alias: this.#real(item.alias ?? name),
          target: isTarget,
          byName: item.alias === undefined,
          columns: frame.ctes.has(this.#real(name)) ? undefined : this.#columnsOfTable(name),
        });
      } else if (item.kind === 'subquery') {
        this.#select(item.query!, outer);
        items.push({ alias: this.#real(item.alias ?? ''), target: false, byName: false, columns: outputNames(item.query!, (n) => this.#real(n)) });
      } else this.#from(item.from!.items, items, outer, frame);
      this.#expr(j.on, frame);
      if (j.using && this.rule.kind === 'column' && items.some((i) => i.target)) j.using.forEach((c) => this.#mark(c));
    }
  }

  #resolveAlias(alias: string, frame: Frame | undefined): Item | undefined {
    const key = this.#real(alias);
    for (let f = frame; f; f = f.parent) {
      const item = f.items.find((i) => i.alias === key);
      if (item) return item;
    }
    return undefined;
  }

  /** Any expression tree (also lists and nested queries): resolves its column references. */
  #expr(node: unknown, frame: Frame | undefined): void {
    if (Array.isArray(node)) {
      for (const n of node) this.#expr(n, frame);
      return;
    }
    if (!isPlain(node)) return;
    if (isSelect(node)) return this.#select(node, frame);
    if (node['kind'] === 'column') return this.#column(node as { table?: string; column: string }, frame);
    for (const v of Object.values(node)) this.#expr(v, frame);
  }

  #column(c: { table?: string; column: string }, frame: Frame | undefined): void {
    if (c.table !== undefined) {
      const item = this.#resolveAlias(c.table, frame);
      if (!item?.target) return;
      if (this.rule.kind === 'table') {
        if (item.byName) this.#mark(c.table);
      } else this.#mark(c.column);
      return;
    }
    if (this.rule.kind !== 'column' || this.#token(c.column) < 0) return;
    const key = nameKey(this.rule.column);
    for (let f = frame; f; f = f.parent) {
      const item = f.items.find((i) => !i.qualifiedOnly && i.columns?.includes(key));
      if (item) {
        if (item.target) this.#mark(c.column);
        return;
      }
    }
  }
}

/** A subquery's result column names, when they can be told from its text (no `*`). */
function outputNames(query: Select, real: (name: string) => string): string[] | undefined {
  if (query.first.kind !== 'select') return undefined;
  const names: string[] = [];
  for (const c of query.first.columns) {
    if (c.kind !== 'expr') return undefined;
    names.push(c.alias !== undefined ? real(c.alias) : c.expr.kind === 'column' ? real(c.expr.column) : c.text.toLowerCase());
  }
  return names;
}
