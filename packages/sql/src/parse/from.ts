/**
 * The FROM clause (parse.y `seltablist`, `joinop`, `on_using`, `indexed_by`): tables with
 * optional schema, alias and INDEXED BY / NOT INDEXED, table-valued functions, subqueries, and
 * parenthesized joins, joined by commas or [NATURAL] [LEFT|RIGHT|FULL [OUTER]|INNER|CROSS] JOIN.
 */
import type { Expr, FromClause, FromItem, JoinOperator, JoinedItem } from './ast.js';
import {
  IS_NM,
  startsSelect,
  TK_BY,
  TK_COMMA,
  TK_CONFLICT,
  TK_DO,
  TK_INDEXED,
  TK_JOIN,
  TK_JOIN_KW,
  TK_LP,
  TK_NOT,
  TK_ON,
  TK_RP,
  TK_USING,
} from './keywords.js';
import { parseAlias, parseIdList, parseQualifiedName } from './names.js';
import type { Parser } from './parser-core.js';

export function parseFromClause(p: Parser): FromClause {
  p.enter();
  const items: JoinedItem[] = [];
  parseItemInto(p, items, undefined);
  for (;;) {
    const join = parseJoinOperator(p);
    if (join === undefined) break;
    parseItemInto(p, items, join);
  }
  p.leave();
  return { items };
}

/** A table, table-valued function, subquery or parenthesized join, with its ON / USING. */
function parseItemInto(p: Parser, items: JoinedItem[], join: JoinOperator | undefined): void {
  let item: FromItem;
  if (p.peek() === TK_LP) {
    p.pos++;
    if (startsSelect(p.peek())) {
      const query = p.grammar.select(p);
      p.expect(TK_RP);
      item = { kind: 'subquery', query, alias: parseAlias(p) };
    } else {
      const inner = parseFromClause(p);
      p.expect(TK_RP);
      const alias = parseAlias(p);
      const constraintIndex = p.pos;
      const constraint = parseOnUsing(p);
      // As parse.y does: a leading, unaliased, unconstrained group is just its items; a single
      // parenthesized item is that item under the outer alias; anything else nests.
      if (items.length === 0 && alias === undefined && constraint.on === undefined && constraint.using === undefined) {
        for (const innerItem of inner.items) items.push(innerItem);
        return;
      }
      const only = inner.items.length === 1 ? inner.items[0]!.item : undefined;
      item = only === undefined ? { kind: 'join', from: inner, alias } : withAlias(only, alias);
      pushItem(p, items, { item, join, ...constraint }, constraintIndex);
      return;
    }
  } else {
    if (IS_NM[p.peek()] !== 1) throw p.syntaxError();
    const { schema, name } = parseQualifiedName(p);
    if (p.eat(TK_LP)) {
      const args: Expr[] = p.peek() === TK_RP ? [] : p.grammar.exprList(p);
      p.expect(TK_RP);
      item = { kind: 'table', schema, name, alias: parseAlias(p), indexedBy: undefined, args };
    } else {
      const alias = parseAlias(p);
      item = { kind: 'table', schema, name, alias, indexedBy: parseIndexedBy(p), args: undefined };
    }
  }
  const constraintIndex = p.pos;
  pushItem(p, items, { item, join, ...parseOnUsing(p) }, constraintIndex);
}

/** Appends an item; like sqlite3SrcListAppendFromTerm, refuses ON / USING on the first one. */
function pushItem(p: Parser, items: JoinedItem[], joinedItem: JoinedItem, constraintIndex: number): void {
  if (items.length === 0 && (joinedItem.on !== undefined || joinedItem.using !== undefined)) {
    throw p.errorAt(constraintIndex, `a JOIN clause is required before ${joinedItem.on !== undefined ? 'ON' : 'USING'}`);
  }
  items.push(joinedItem);
}

/** A parenthesized single item keeps only the outer alias (the inner one is dropped, as in SQLite). */
function withAlias(item: FromItem, alias: string | undefined): FromItem {
  switch (item.kind) {
    case 'table':
      return { ...item, alias, indexedBy: undefined };
    case 'subquery':
      return { ...item, alias };
    case 'join':
      return { ...item, alias };
  }
}

/** `INDEXED BY name` → name, `NOT INDEXED` → null, neither → undefined. */
export function parseIndexedBy(p: Parser): string | null | undefined {
  if (p.eat(TK_INDEXED)) {
    p.expect(TK_BY);
    return p.name();
  }
  if (p.peek() === TK_NOT && p.peekAt(1) === TK_INDEXED) {
    p.pos += 2;
    return null;
  }
  return undefined;
}

function parseOnUsing(p: Parser): { on: Expr | undefined; using: readonly string[] | undefined } {
  if (p.peek() === TK_ON) {
    // INSERT … SELECT … ON CONFLICT: SQLite reads ON as a join constraint and fails; we let the
    // upsert have it when the words after ON can only be an upsert.
    const after = p.peekAt(2);
    if (p.insertSelect > 0 && p.peekAt(1) === TK_CONFLICT && (after === TK_DO || after === TK_LP)) {
      return { on: undefined, using: undefined };
    }
    p.pos++;
    return { on: p.grammar.expr(p), using: undefined };
  }
  if (p.eat(TK_USING)) {
    p.expect(TK_LP);
    const using = parseIdList(p);
    p.expect(TK_RP);
    return { on: undefined, using };
  }
  return { on: undefined, using: undefined };
}

const JOIN_WORDS = ['NATURAL', 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'INNER', 'CROSS'] as const;

/** `,` | `JOIN` | join keyword(s) then `JOIN`, classified as sqlite3JoinType does. */
function parseJoinOperator(p: Parser): JoinOperator | undefined {
  const type = p.peek();
  if (type === TK_COMMA) {
    p.pos++;
    return { kind: 'comma', natural: false };
  }
  if (type === TK_JOIN) {
    p.pos++;
    return { kind: 'inner', natural: false };
  }
  if (type !== TK_JOIN_KW) return undefined;
  const first = p.pos++;
  // parse.y: JOIN_KW [nm [nm]] JOIN.
  while (p.pos - first < 3 && p.peek() !== TK_JOIN && IS_NM[p.peek()] === 1) p.pos++;
  const last = p.pos - 1;
  p.expect(TK_JOIN);
  const words = new Set<string>();
  for (let i = first; i <= last; i++) {
    const word = JOIN_WORDS.find((w) => p.isWord(i, w));
    if (word === undefined) throw unknownJoin(p, first, last);
    words.add(word);
  }
  const left = words.has('LEFT') || words.has('FULL');
  const right = words.has('RIGHT') || words.has('FULL');
  const inner = words.has('INNER') || words.has('CROSS');
  const outer = left || right || words.has('OUTER');
  if ((inner && outer) || (words.has('OUTER') && !left && !right)) throw unknownJoin(p, first, last);
  const natural = words.has('NATURAL');
  if (left && right) return { kind: 'full', natural };
  if (left) return { kind: 'left', natural };
  if (right) return { kind: 'right', natural };
  return { kind: words.has('CROSS') ? 'cross' : 'inner', natural };
}

function unknownJoin(p: Parser, first: number, last: number): Error {
  const words: string[] = [];
  for (let i = first; i <= last; i++) words.push(p.text(i));
  return p.errorAt(first, `unknown join type: ${words.join(' ')}`);
}
