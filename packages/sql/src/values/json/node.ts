/**
 * A parsed JSON value, shaped after SQLite's JSONB (json.c): every node keeps the JSONB element
 * type SQLite would give it and, for numbers and strings, the payload text exactly as written.
 * So `1.50` stays `1.50`, `1.0` stays a REAL, a 20-digit integer keeps every digit, duplicate
 * object labels are kept in order, and a JSON5 literal (`0x1F`, `.5`, `'a'`) is rendered the way
 * SQLite renders it. json_each's `id` column is a node's byte offset in SQLite's JSONB encoding,
 * which `encodedSize` reproduces. Nodes are never mutated once built (edits copy the path they
 * change), so a parse can be cached and shared.
 */

export const J_NULL = 0;
export const J_TRUE = 1;
export const J_FALSE = 2;
/** An RFC 8259 integer literal. */
export const J_INT = 3;
/** A JSON5 integer literal (hexadecimal). */
export const J_INT5 = 4;
/** An RFC 8259 floating point literal. */
export const J_FLOAT = 5;
/** A JSON5 floating point literal (`.5`, `5.`). */
export const J_FLOAT5 = 6;
/** String payload that needs no escaping. */
export const J_TEXT = 7;
/** String payload holding RFC 8259 escapes, as written. */
export const J_TEXTJ = 8;
/** String payload holding JSON5 escapes or raw control characters, as written. */
export const J_TEXT5 = 9;
/** A raw SQL string (from an SQL value): escaped when rendered. */
export const J_TEXTRAW = 10;
export const J_ARRAY = 11;
/** Children alternate label, value. */
export const J_OBJECT = 12;

export class JsonNode {
  /** Cached JSONB size (header + payload), -1 until computed. */
  size = -1;

  constructor(
    /** One of the J_* element types. */
    readonly type: number,
    /** The payload of a number or string, as written; '' for containers and literals. */
    readonly text: string,
    /** Array elements, or object labels and values alternating; undefined for scalars. */
    readonly items: readonly JsonNode[] | undefined,
  ) {}
}

export const NULL_NODE = new JsonNode(J_NULL, '', undefined);
export const TRUE_NODE = new JsonNode(J_TRUE, '', undefined);
export const FALSE_NODE = new JsonNode(J_FALSE, '', undefined);

export const isContainer = (n: JsonNode): boolean => n.type >= J_ARRAY;
export const isLabel = (n: JsonNode): boolean => n.type >= J_TEXT && n.type <= J_TEXTRAW;

const TYPE_NAMES = ['null', 'true', 'false', 'integer', 'integer', 'real', 'real', 'text', 'text', 'text', 'text', 'array', 'object'] as const;

/** json_type()'s name for a node. */
export function typeNameOf(n: JsonNode): string {
  return TYPE_NAMES[n.type]!;
}

/** Bytes of `s` in UTF-8 (a lone surrogate counts 3, as Buffer encodes it). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

/** Size of a JSONB header for a payload of `payload` bytes (SQLite always writes the shortest). */
export function headerSize(payload: number): number {
  return payload <= 11 ? 1 : payload <= 0xff ? 2 : payload <= 0xffff ? 3 : 5;
}

/** Bytes of the node's payload in JSONB. */
export function payloadSize(n: JsonNode): number {
  if (n.items === undefined) return utf8Length(n.text);
  let total = 0;
  for (const c of n.items) total += encodedSize(c);
  return total;
}

/** Bytes of the node in JSONB, header included. */
export function encodedSize(n: JsonNode): number {
  if (n.size < 0) {
    const p = payloadSize(n);
    n.size = headerSize(p) + p;
  }
  return n.size;
}
