import sqlParser from 'node-sql-parser/build/sqlite.js';
import { QueryError } from '@sochdb/core';
import { children, isNode, type Node } from './ast.js';
import { findTopLevel, joinTokens, lineColumn, skipSpace, splitStatements, syntaxAt, upper, type Token } from './tokenizer.js';

// node-sql-parser is CommonJS; its per-dialect build loads far faster than the all-dialect one.
const { Parser } = sqlParser;
const parser = new Parser();

export type SetOperator = 'UNION' | 'UNION ALL' | 'INTERSECT' | 'EXCEPT';

/** A SELECT, or several joined by set operators with a trailing ORDER BY / LIMIT for the whole. */
export interface Query {
  readonly members: readonly Node[];
  readonly operators: readonly SetOperator[];
  readonly orderBy: readonly Node[];
  readonly limit: Node | undefined;
  /** Each member's select-list items as written, which SQLite uses as result column names. */
  readonly columnTexts: readonly (readonly string[])[];
}

export interface OnConflict {
  readonly target: readonly string[];
  readonly action: 'NOTHING' | 'UPDATE';
  /** For DO UPDATE: the parsed `UPDATE … SET … WHERE …` whose SET/WHERE apply to the existing row. */
  readonly update: Node | undefined;
}

export type Statement =
  | { readonly kind: 'select'; readonly query: Query }
  | { readonly kind: 'insert'; readonly ast: Node; readonly onConflict: OnConflict | undefined }
  | { readonly kind: 'update'; readonly ast: Node }
  | { readonly kind: 'delete'; readonly ast: Node }
  | { readonly kind: 'createTable'; readonly ast: Node }
  | { readonly kind: 'createIndex'; readonly ast: Node }
  | { readonly kind: 'dropTable'; readonly ast: Node }
  | { readonly kind: 'dropIndex'; readonly name: string; readonly ifExists: boolean }
  | { readonly kind: 'alter'; readonly ast: Node }
  | { readonly kind: 'explain'; readonly inner: Statement };

/** Parses `sql` into statements. Positions in errors refer to the text given. */
export function parseSql(sql: string): Statement[] {
  return splitStatements(sql).map((s) => parseStatement(sql, s.tokens));
}

function parseStatement(sql: string, tokens: readonly Token[]): Statement {
  const first = skipSpace(tokens, 0);
  if (upper(tokens[first]) === 'EXPLAIN') {
    let i = skipSpace(tokens, first + 1);
    if (upper(tokens[i]) === 'QUERY' && upper(tokens[skipSpace(tokens, i + 1)]) === 'PLAN') i = skipSpace(tokens, skipSpace(tokens, i + 1) + 1);
    return { kind: 'explain', inner: parseStatement(sql, tokens.slice(i)) };
  }
  const head = upper(tokens[first]);
  const second = upper(tokens[skipSpace(tokens, first + 1)]);
  if (head === 'DROP' && second === 'INDEX') return parseDropIndex(sql, tokens, skipSpace(tokens, first + 1) + 1);
  if (head === 'SELECT' || head === 'WITH' || (tokens[first]?.text === '(')) return { kind: 'select', query: parseQuery(sql, tokens) };
  if (head === 'INSERT' || head === 'REPLACE') return parseInsert(sql, tokens);
  if (head === 'BEGIN' || head === 'COMMIT' || head === 'ROLLBACK' || head === 'END' || head === 'SAVEPOINT') {
    throw new QueryError(`${head} is not supported inside execute()`, {
      ...lineColumn(sql, tokens[first]!.start),
      remediation: 'Use storage.beginTransaction() and pass { txn } to execute(); SQL and KV writes then commit together.',
    });
  }
  const ast = astify(sql, tokens);
  switch (ast.type) {
    case 'update':
      return { kind: 'update', ast };
    case 'delete':
      return { kind: 'delete', ast };
    case 'create':
      return ast['keyword'] === 'index' ? { kind: 'createIndex', ast } : { kind: 'createTable', ast };
    case 'drop':
      return { kind: 'dropTable', ast };
    case 'alter':
      return { kind: 'alter', ast };
    default:
      throw new QueryError(`unsupported statement type '${String(ast.type)}'`, {
        ...lineColumn(sql, tokens[first]!.start),
        remediation: 'Supported: SELECT, INSERT, UPDATE, DELETE, CREATE/DROP TABLE, CREATE/DROP INDEX, ALTER TABLE ADD COLUMN, EXPLAIN.',
      });
  }
}

/** Runs node-sql-parser on the tokens' text and maps its errors to QueryError positions in `sql`. */
function astify(sql: string, tokens: readonly Token[]): Node {
  const rewritten = tokens.map((t) => (upper(t) === 'CROSS' ? ' ' : t.text));
  const textOf = rewritten.join('');
  let result: unknown;
  try {
    result = parser.astify(textOf, { database: 'sqlite' });
  } catch (error) {
    const loc = (error as { location?: { start?: { offset?: number } } }).location?.start?.offset;
    const near = loc === undefined ? undefined : originalOffset(tokens, rewritten, loc);
    const found = near === undefined ? '' : ` near "${sql.slice(near, near + 12).split(/\s/)[0] || 'end of input'}"`;
    if (near === undefined) throw new QueryError(`SQL syntax error${found}`, { cause: error });
    throw syntaxAt(sql, near, `unexpected input${found}`);
  }
  const list = Array.isArray(result) ? result.filter(isNode) : isNode(result) ? [result] : [];
  if (list.length !== 1) throw syntaxAt(sql, tokens[0]?.start ?? 0, 'expected exactly one statement');
  return list[0]!;
}

function originalOffset(tokens: readonly Token[], rewritten: readonly string[], offset: number): number {
  let pos = 0;
  for (let i = 0; i < tokens.length; i++) {
    const len = rewritten[i]!.length;
    if (offset < pos + len) return tokens[i]!.start + Math.min(offset - pos, tokens[i]!.end - tokens[i]!.start);
    pos += len;
  }
  return tokens.length > 0 ? tokens[tokens.length - 1]!.end : 0;
}

const SET_OPS = new Set(['UNION', 'INTERSECT', 'EXCEPT']);

function parseQuery(sql: string, tokens: readonly Token[]): Query {
  const members: (readonly Token[])[] = [];
  const operators: SetOperator[] = [];
  let start = 0;
  for (;;) {
    const at = findTopLevel(tokens, (t) => SET_OPS.has(upper(t)), start);
    if (at < 0) break;
    members.push(tokens.slice(start, at));
    const op = upper(tokens[at]);
    const nextIndex = skipSpace(tokens, at + 1);
    if (op === 'UNION' && upper(tokens[nextIndex]) === 'ALL') {
      operators.push('UNION ALL');
      start = nextIndex + 1;
    } else {
      operators.push(op as SetOperator);
      start = at + 1;
    }
  }
  let last = tokens.slice(start);
  if (operators.length === 0) {
    return { members: [astify(sql, last)], operators, orderBy: [], limit: undefined, columnTexts: [selectListTexts(last)] };
  }
  // A trailing ORDER BY / LIMIT belongs to the whole compound, not to its last member.
  const tailAt = findTopLevel(last, (t, i) => (upper(t) === 'ORDER' && upper(last[skipSpace(last, i + 1)]) === 'BY') || upper(t) === 'LIMIT');
  let orderBy: Node[] = [];
  let limit: Node | undefined;
  if (tailAt >= 0) {
    const tail = last.slice(tailAt);
    last = last.slice(0, tailAt);
    const prefix: Token = { kind: 'word', text: 'SELECT 1 FROM compound_ ', start: tail[0]!.start, end: tail[0]!.start };
    const ast = astify(sql, [prefix, ...tail]);
    orderBy = children(ast, 'orderby');
    limit = isNode(ast['limit']) && children(ast['limit'], 'value').length > 0 ? ast['limit'] : undefined;
  }
  members.push(last);
  return { members: members.map((m) => astify(sql, m)), operators, orderBy, limit, columnTexts: members.map(selectListTexts) };
}

function parseInsert(sql: string, tokens: readonly Token[]): Statement {
  const at = findTopLevel(tokens, (t, i) => upper(t) === 'ON' && upper(tokens[skipSpace(tokens, i + 1)]) === 'CONFLICT');
  if (at < 0) return { kind: 'insert', ast: astify(sql, tokens), onConflict: undefined };
  const ast = astify(sql, tokens.slice(0, at));
  let i = skipSpace(tokens, skipSpace(tokens, at + 1) + 1);
  const target: string[] = [];
  if (tokens[i]?.text === '(') {
    for (i = skipSpace(tokens, i + 1); i < tokens.length && tokens[i]!.text !== ')'; i = skipSpace(tokens, i + 1)) {
      const t = tokens[i]!;
      if (t.kind === 'word' || t.kind === 'ident') target.push(unquote(t));
    }
    i = skipSpace(tokens, i + 1);
  }
  if (upper(tokens[i]) !== 'DO') throw syntaxAt(sql, tokens[i]?.start ?? sql.length, 'expected DO NOTHING or DO UPDATE SET after ON CONFLICT');
  i = skipSpace(tokens, i + 1);
  if (upper(tokens[i]) === 'NOTHING') return { kind: 'insert', ast, onConflict: { target, action: 'NOTHING', update: undefined } };
  if (upper(tokens[i]) !== 'UPDATE') throw syntaxAt(sql, tokens[i]?.start ?? sql.length, 'expected NOTHING or UPDATE after DO');
  const prefix: Token = { kind: 'word', text: 'UPDATE conflict_ ', start: tokens[i]!.end, end: tokens[i]!.end };
  const update = astify(sql, [prefix, ...tokens.slice(i + 1)]);
  return { kind: 'insert', ast, onConflict: { target, action: 'UPDATE', update } };
}

function parseDropIndex(sql: string, tokens: readonly Token[], from: number): Statement {
  const words = tokens.slice(from).filter((t) => t.kind !== 'space');
  let ifExists = false;
  if (upper(words[0]) === 'IF' && upper(words[1]) === 'EXISTS') {
    ifExists = true;
    words.splice(0, 2);
  }
  if (words.length !== 1 || (words[0]!.kind !== 'word' && words[0]!.kind !== 'ident')) {
    throw syntaxAt(sql, words[0]?.start ?? sql.length, 'expected DROP INDEX [IF EXISTS] name');
  }
  return { kind: 'dropIndex', name: unquote(words[0]!), ifExists };
}

const LIST_END = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'WINDOW']);

function selectListTexts(tokens: readonly Token[]): string[] {
  let i = findTopLevel(tokens, (t) => upper(t) === 'SELECT');
  if (i < 0) return [];
  i = skipSpace(tokens, i + 1);
  if (upper(tokens[i]) === 'DISTINCT' || upper(tokens[i]) === 'ALL') i++;
  let end = findTopLevel(tokens, (t) => LIST_END.has(upper(t)), i);
  if (end < 0) end = tokens.length;
  const items: string[] = [];
  let from = i;
  for (;;) {
    const comma = findTopLevel(tokens, (t) => t.kind === 'punct' && t.text === ',', from);
    const stop = comma < 0 || comma > end ? end : comma;
    items.push(joinTokens(tokens.slice(from, stop)).trim());
    if (stop === end) break;
    from = stop + 1;
  }
  return items;
}

export function unquote(t: Token): string {
  if (t.kind !== 'ident') return t.text;
  const q = t.text[0]!;
  const body = t.text.slice(1, -1);
  return q === '[' ? body : body.split(q + q).join(q);
}

export { joinTokens };
