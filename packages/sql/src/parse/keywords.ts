/**
 * Token types and SQLite's keyword table. Source: SQLite's parse.y (`%fallback ID …`,
 * `%token_class`) and tool/mkkeywordhash.c (which words are keywords and which token each
 * maps to), checked against SQLite 3.53: a word is a keyword in every position, but the
 * fallback keywords are read as plain identifiers wherever the grammar cannot use them as
 * keywords.
 *
 * Token types are small integers so the lexer can store them in a Uint8Array and the parser can
 * index per-type tables.
 */

// ── Non-keyword tokens ──────────────────────────────────────────────────────────────────────
export const TK_EOF = 0;
/** A token SQLite's tokenizer rejects; the lexer keeps the reason and the parser reports it when reached. */
export const TK_ILLEGAL = 1;
export const TK_SEMI = 2;
/** A bare or quoted ("…", […], `…`) identifier. */
export const TK_ID = 3;
export const TK_STRING = 4;
export const TK_INTEGER = 5;
export const TK_FLOAT = 6;
export const TK_BLOB = 7;
export const TK_VARIABLE = 8;
export const TK_LP = 9;
export const TK_RP = 10;
export const TK_COMMA = 11;
export const TK_DOT = 12;
export const TK_PLUS = 13;
export const TK_MINUS = 14;
export const TK_STAR = 15;
export const TK_SLASH = 16;
export const TK_REM = 17;
export const TK_CONCAT = 18;
/** `->` */
export const TK_PTR = 19;
/** `->>` */
export const TK_PTR2 = 20;
/** `=` and `==` */
export const TK_EQ = 21;
/** `!=` and `<>` */
export const TK_NE = 22;
export const TK_LT = 23;
export const TK_LE = 24;
export const TK_GT = 25;
export const TK_GE = 26;
export const TK_BITAND = 27;
export const TK_BITOR = 28;
export const TK_LSHIFT = 29;
export const TK_RSHIFT = 30;
export const TK_BITNOT = 31;

// ── Keywords (one type per parse.y token; several words can share one) ─────────────────────
let next = 40;
const kw = (): number => next++;
export const TK_ABORT = kw();
export const TK_ACTION = kw();
export const TK_ADD = kw();
export const TK_AFTER = kw();
export const TK_ALL = kw();
export const TK_ALTER = kw();
export const TK_ALWAYS = kw();
export const TK_ANALYZE = kw();
export const TK_AND = kw();
export const TK_AS = kw();
export const TK_ASC = kw();
export const TK_ATTACH = kw();
export const TK_AUTOINCR = kw();
export const TK_BEFORE = kw();
export const TK_BEGIN = kw();
export const TK_BETWEEN = kw();
export const TK_BY = kw();
export const TK_CASCADE = kw();
export const TK_CASE = kw();
export const TK_CAST = kw();
export const TK_CHECK = kw();
export const TK_COLLATE = kw();
export const TK_COLUMNKW = kw();
export const TK_COMMIT = kw();
export const TK_CONFLICT = kw();
export const TK_CONSTRAINT = kw();
export const TK_CREATE = kw();
/** CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP */
export const TK_CTIME_KW = kw();
export const TK_CURRENT = kw();
export const TK_DATABASE = kw();
export const TK_DEFAULT = kw();
export const TK_DEFERRABLE = kw();
export const TK_DEFERRED = kw();
export const TK_DELETE = kw();
export const TK_DESC = kw();
export const TK_DETACH = kw();
export const TK_DISTINCT = kw();
export const TK_DO = kw();
export const TK_DROP = kw();
export const TK_EACH = kw();
export const TK_ELSE = kw();
export const TK_END = kw();
export const TK_ESCAPE = kw();
export const TK_EXCEPT = kw();
export const TK_EXCLUDE = kw();
export const TK_EXCLUSIVE = kw();
export const TK_EXISTS = kw();
export const TK_EXPLAIN = kw();
export const TK_FAIL = kw();
export const TK_FILTER = kw();
export const TK_FIRST = kw();
export const TK_FOLLOWING = kw();
export const TK_FOR = kw();
export const TK_FOREIGN = kw();
export const TK_FROM = kw();
export const TK_GENERATED = kw();
export const TK_GROUP = kw();
export const TK_GROUPS = kw();
export const TK_HAVING = kw();
export const TK_IF = kw();
export const TK_IGNORE = kw();
export const TK_IMMEDIATE = kw();
export const TK_IN = kw();
export const TK_INDEX = kw();
export const TK_INDEXED = kw();
export const TK_INITIALLY = kw();
export const TK_INSERT = kw();
export const TK_INSTEAD = kw();
export const TK_INTERSECT = kw();
export const TK_INTO = kw();
export const TK_IS = kw();
export const TK_ISNULL = kw();
export const TK_JOIN = kw();
/** CROSS, FULL, INNER, LEFT, NATURAL, OUTER, RIGHT */
export const TK_JOIN_KW = kw();
export const TK_KEY = kw();
export const TK_LAST = kw();
/** LIKE, GLOB, REGEXP */
export const TK_LIKE_KW = kw();
export const TK_LIMIT = kw();
export const TK_MATCH = kw();
export const TK_MATERIALIZED = kw();
export const TK_NO = kw();
export const TK_NOT = kw();
export const TK_NOTHING = kw();
export const TK_NOTNULL = kw();
export const TK_NULL = kw();
export const TK_NULLS = kw();
export const TK_OF = kw();
export const TK_OFFSET = kw();
export const TK_ON = kw();
export const TK_OR = kw();
export const TK_ORDER = kw();
export const TK_OTHERS = kw();
export const TK_OVER = kw();
export const TK_PARTITION = kw();
export const TK_PLAN = kw();
export const TK_PRAGMA = kw();
export const TK_PRECEDING = kw();
export const TK_PRIMARY = kw();
export const TK_QUERY = kw();
export const TK_RAISE = kw();
export const TK_RANGE = kw();
export const TK_RECURSIVE = kw();
export const TK_REFERENCES = kw();
export const TK_REINDEX = kw();
export const TK_RELEASE = kw();
export const TK_RENAME = kw();
export const TK_REPLACE = kw();
export const TK_RESTRICT = kw();
export const TK_RETURNING = kw();
export const TK_ROLLBACK = kw();
export const TK_ROW = kw();
export const TK_ROWS = kw();
export const TK_SAVEPOINT = kw();
export const TK_SELECT = kw();
export const TK_SET = kw();
export const TK_TABLE = kw();
/** TEMP, TEMPORARY */
export const TK_TEMP = kw();
export const TK_THEN = kw();
export const TK_TIES = kw();
export const TK_TO = kw();
export const TK_TRANSACTION = kw();
export const TK_TRIGGER = kw();
export const TK_UNBOUNDED = kw();
export const TK_UNION = kw();
export const TK_UNIQUE = kw();
export const TK_UPDATE = kw();
export const TK_USING = kw();
export const TK_VACUUM = kw();
export const TK_VALUES = kw();
export const TK_VIEW = kw();
export const TK_VIRTUAL = kw();
export const TK_WHEN = kw();
export const TK_WHERE = kw();
export const TK_WINDOW = kw();
export const TK_WITH = kw();
export const TK_WITHOUT = kw();
export const TOKEN_TYPE_COUNT = next;

/** Every SQLite keyword (mkkeywordhash.c) and its token type. */
const KEYWORDS: readonly (readonly [string, number])[] = [
  ['ABORT', TK_ABORT],
  ['ACTION', TK_ACTION],
  ['ADD', TK_ADD],
  ['AFTER', TK_AFTER],
  ['ALL', TK_ALL],
  ['ALTER', TK_ALTER],
  ['ALWAYS', TK_ALWAYS],
  ['ANALYZE', TK_ANALYZE],
  ['AND', TK_AND],
  ['AS', TK_AS],
  ['ASC', TK_ASC],
  ['ATTACH', TK_ATTACH],
  ['AUTOINCREMENT', TK_AUTOINCR],
  ['BEFORE', TK_BEFORE],
  ['BEGIN', TK_BEGIN],
  ['BETWEEN', TK_BETWEEN],
  ['BY', TK_BY],
  ['CASCADE', TK_CASCADE],
  ['CASE', TK_CASE],
  ['CAST', TK_CAST],
  ['CHECK', TK_CHECK],
  ['COLLATE', TK_COLLATE],
  ['COLUMN', TK_COLUMNKW],
  ['COMMIT', TK_COMMIT],
  ['CONFLICT', TK_CONFLICT],
  ['CONSTRAINT', TK_CONSTRAINT],
  ['CREATE', TK_CREATE],
  ['CROSS', TK_JOIN_KW],
  ['CURRENT', TK_CURRENT],
  ['CURRENT_DATE', TK_CTIME_KW],
  ['CURRENT_TIME', TK_CTIME_KW],
  ['CURRENT_TIMESTAMP', TK_CTIME_KW],
  ['DATABASE', TK_DATABASE],
  ['DEFAULT', TK_DEFAULT],
  ['DEFERRABLE', TK_DEFERRABLE],
  ['DEFERRED', TK_DEFERRED],
  ['DELETE', TK_DELETE],
  ['DESC', TK_DESC],
  ['DETACH', TK_DETACH],
  ['DISTINCT', TK_DISTINCT],
  ['DO', TK_DO],
  ['DROP', TK_DROP],
  ['EACH', TK_EACH],
  ['ELSE', TK_ELSE],
  ['END', TK_END],
  ['ESCAPE', TK_ESCAPE],
  ['EXCEPT', TK_EXCEPT],
  ['EXCLUDE', TK_EXCLUDE],
  ['EXCLUSIVE', TK_EXCLUSIVE],
  ['EXISTS', TK_EXISTS],
  ['EXPLAIN', TK_EXPLAIN],
  ['FAIL', TK_FAIL],
  ['FILTER', TK_FILTER],
  ['FIRST', TK_FIRST],
  ['FOLLOWING', TK_FOLLOWING],
  ['FOR', TK_FOR],
  ['FOREIGN', TK_FOREIGN],
  ['FROM', TK_FROM],
  ['FULL', TK_JOIN_KW],
  ['GENERATED', TK_GENERATED],
  ['GLOB', TK_LIKE_KW],
  ['GROUP', TK_GROUP],
  ['GROUPS', TK_GROUPS],
  ['HAVING', TK_HAVING],
  ['IF', TK_IF],
  ['IGNORE', TK_IGNORE],
  ['IMMEDIATE', TK_IMMEDIATE],
  ['IN', TK_IN],
  ['INDEX', TK_INDEX],
  ['INDEXED', TK_INDEXED],
  ['INITIALLY', TK_INITIALLY],
  ['INNER', TK_JOIN_KW],
  ['INSERT', TK_INSERT],
  ['INSTEAD', TK_INSTEAD],
  ['INTERSECT', TK_INTERSECT],
  ['INTO', TK_INTO],
  ['IS', TK_IS],
  ['ISNULL', TK_ISNULL],
  ['JOIN', TK_JOIN],
  ['KEY', TK_KEY],
  ['LAST', TK_LAST],
  ['LEFT', TK_JOIN_KW],
  ['LIKE', TK_LIKE_KW],
  ['LIMIT', TK_LIMIT],
  ['MATCH', TK_MATCH],
  ['MATERIALIZED', TK_MATERIALIZED],
  ['NATURAL', TK_JOIN_KW],
  ['NO', TK_NO],
  ['NOT', TK_NOT],
  ['NOTHING', TK_NOTHING],
  ['NOTNULL', TK_NOTNULL],
  ['NULL', TK_NULL],
  ['NULLS', TK_NULLS],
  ['OF', TK_OF],
  ['OFFSET', TK_OFFSET],
  ['ON', TK_ON],
  ['OR', TK_OR],
  ['ORDER', TK_ORDER],
  ['OTHERS', TK_OTHERS],
  ['OUTER', TK_JOIN_KW],
  ['OVER', TK_OVER],
  ['PARTITION', TK_PARTITION],
  ['PLAN', TK_PLAN],
  ['PRAGMA', TK_PRAGMA],
  ['PRECEDING', TK_PRECEDING],
  ['PRIMARY', TK_PRIMARY],
  ['QUERY', TK_QUERY],
  ['RAISE', TK_RAISE],
  ['RANGE', TK_RANGE],
  ['RECURSIVE', TK_RECURSIVE],
  ['REFERENCES', TK_REFERENCES],
  ['REGEXP', TK_LIKE_KW],
  ['REINDEX', TK_REINDEX],
  ['RELEASE', TK_RELEASE],
  ['RENAME', TK_RENAME],
  ['REPLACE', TK_REPLACE],
  ['RESTRICT', TK_RESTRICT],
  ['RETURNING', TK_RETURNING],
  ['RIGHT', TK_JOIN_KW],
  ['ROLLBACK', TK_ROLLBACK],
  ['ROW', TK_ROW],
  ['ROWS', TK_ROWS],
  ['SAVEPOINT', TK_SAVEPOINT],
  ['SELECT', TK_SELECT],
  ['SET', TK_SET],
  ['TABLE', TK_TABLE],
  ['TEMP', TK_TEMP],
  ['TEMPORARY', TK_TEMP],
  ['THEN', TK_THEN],
  ['TIES', TK_TIES],
  ['TO', TK_TO],
  ['TRANSACTION', TK_TRANSACTION],
  ['TRIGGER', TK_TRIGGER],
  ['UNBOUNDED', TK_UNBOUNDED],
  ['UNION', TK_UNION],
  ['UNIQUE', TK_UNIQUE],
  ['UPDATE', TK_UPDATE],
  ['USING', TK_USING],
  ['VACUUM', TK_VACUUM],
  ['VALUES', TK_VALUES],
  ['VIEW', TK_VIEW],
  ['VIRTUAL', TK_VIRTUAL],
  ['WHEN', TK_WHEN],
  ['WHERE', TK_WHERE],
  ['WINDOW', TK_WINDOW],
  ['WITH', TK_WITH],
  ['WITHOUT', TK_WITHOUT],
];

/** parse.y's `%fallback ID …` list: keywords that become identifiers where the grammar has no use for them. */
const FALLBACK_TYPES: readonly number[] = [
  TK_ABORT,
  TK_ACTION,
  TK_AFTER,
  TK_ANALYZE,
  TK_ASC,
  TK_ATTACH,
  TK_BEFORE,
  TK_BEGIN,
  TK_BY,
  TK_CASCADE,
  TK_CAST,
  TK_COLUMNKW,
  TK_CONFLICT,
  TK_DATABASE,
  TK_DEFERRED,
  TK_DESC,
  TK_DETACH,
  TK_DO,
  TK_EACH,
  TK_END,
  TK_EXCLUSIVE,
  TK_EXPLAIN,
  TK_FAIL,
  TK_FOR,
  TK_IGNORE,
  TK_IMMEDIATE,
  TK_INITIALLY,
  TK_INSTEAD,
  TK_LIKE_KW,
  TK_MATCH,
  TK_NO,
  TK_PLAN,
  TK_QUERY,
  TK_KEY,
  TK_OF,
  TK_OFFSET,
  TK_PRAGMA,
  TK_RAISE,
  TK_RECURSIVE,
  TK_RELEASE,
  TK_REPLACE,
  TK_RESTRICT,
  TK_ROW,
  TK_ROWS,
  TK_ROLLBACK,
  TK_SAVEPOINT,
  TK_TEMP,
  TK_TRIGGER,
  TK_VACUUM,
  TK_VIEW,
  TK_VIRTUAL,
  TK_WITH,
  TK_WITHOUT,
  TK_NULLS,
  TK_FIRST,
  TK_LAST,
  TK_CURRENT,
  TK_FOLLOWING,
  TK_PARTITION,
  TK_PRECEDING,
  TK_RANGE,
  TK_UNBOUNDED,
  TK_EXCLUDE,
  TK_GROUPS,
  TK_OTHERS,
  TK_TIES,
  TK_GENERATED,
  TK_ALWAYS,
  TK_MATERIALIZED,
  TK_REINDEX,
  TK_RENAME,
  TK_CTIME_KW,
  TK_IF,
];

function tokenClass(members: readonly number[]): Uint8Array {
  const table = new Uint8Array(TOKEN_TYPE_COUNT);
  for (const t of members) table[t] = 1;
  return table;
}

/** Fallback keywords plus ID itself (WINDOW/OVER/FILTER arrive here already re-typed as ID when not keywords). */
const ID_OR_FALLBACK = [TK_ID, ...FALLBACK_TYPES];
/** parse.y `id`: ID | INDEXED (after fallback). */
export const IS_ID = tokenClass([...ID_OR_FALLBACK, TK_INDEXED]);
/** parse.y `ids`: ID | STRING — also what an implicit (AS-less) alias may be. */
export const IS_IDS = tokenClass([...ID_OR_FALLBACK, TK_STRING]);
/** parse.y `idj`: ID | INDEXED | JOIN_KW — column and function names in expressions. */
export const IS_IDJ = tokenClass([...ID_OR_FALLBACK, TK_INDEXED, TK_JOIN_KW]);
/** parse.y `nm`: idj | STRING — table, column, index … names. */
export const IS_NM = tokenClass([...ID_OR_FALLBACK, TK_INDEXED, TK_JOIN_KW, TK_STRING]);
/** What tokenize.c's getToken() reports as TK_ID when it peeks ahead for WINDOW/OVER. */
export const IS_PEEK_ID = tokenClass([...ID_OR_FALLBACK, TK_STRING, TK_JOIN_KW, TK_WINDOW, TK_OVER]);

/** True for the tokens that can start a SELECT inside parentheses. */
export function startsSelect(type: number): boolean {
  return type === TK_SELECT || type === TK_VALUES || type === TK_WITH;
}

// ── Keyword lookup without allocating: open-addressing hash over case-folded char codes ─────
const TABLE_BITS = 9;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const slotWord: (string | undefined)[] = new Array<string | undefined>(1 << TABLE_BITS).fill(undefined);
const slotType = new Uint8Array(1 << TABLE_BITS);
const MAX_KEYWORD_LENGTH = 17;

/** ASCII letters folded to upper case; other code units unchanged (they never match a keyword). */
function fold(c: number): number {
  return c >= 97 && c <= 122 ? c - 32 : c;
}

function hashOf(first: number, last: number, length: number): number {
  return (first * 67 + last * 31 + length * 7) & TABLE_MASK;
}

for (const [word, type] of KEYWORDS) {
  let slot = hashOf(word.charCodeAt(0), word.charCodeAt(word.length - 1), word.length);
  while (slotWord[slot] !== undefined) slot = (slot + 1) & TABLE_MASK;
  slotWord[slot] = word;
  slotType[slot] = type;
}

/** The keyword token type of `src[start, end)`, or TK_ID. */
export function keywordType(src: string, start: number, end: number): number {
  const length = end - start;
  if (length < 2 || length > MAX_KEYWORD_LENGTH) return TK_ID;
  let slot = hashOf(fold(src.charCodeAt(start)), fold(src.charCodeAt(end - 1)), length);
  for (;;) {
    const word = slotWord[slot];
    if (word === undefined) return TK_ID;
    if (word.length === length) {
      let i = 0;
      while (i < length && fold(src.charCodeAt(start + i)) === word.charCodeAt(i)) i++;
      if (i === length) return slotType[slot]!;
    }
    slot = (slot + 1) & TABLE_MASK;
  }
}

/** True when `word` (any case) is an SQLite keyword: such names must be quoted when printed. */
export function isKeywordWord(word: string): boolean {
  return keywordType(word, 0, word.length) !== TK_ID;
}

/** True when `word` is a keyword SQLite accepts as a plain name (a fallback keyword). */
export function isFallbackWord(word: string): boolean {
  const t = keywordType(word, 0, word.length);
  return t !== TK_ID && FALLBACK_TYPES.includes(t);
}
