import { QueryError } from '@sochdb/core';
import { realToText, type SqlValue } from '../values.js';
import { decodeJsonb } from './jsonb.js';
import { J_FALSE, J_FLOAT, J_FLOAT5, J_INT, J_INT5, J_NULL, J_TEXT, J_TEXT5, J_TEXTJ, J_TEXTRAW, J_TRUE, JsonNode, NULL_NODE } from './node.js';
import { malformed, parseJson } from './parse.js';
import { quoteString, renderJson } from './render.js';

// Between SQL values and JSON nodes: what json_extract returns for a node (json.c,
// jsonReturnFromBlob), and what a node or JSON text is made of an SQL argument
// (jsonFunctionArgToBlob, jsonAppendSqlValue).

const MAX_INT64 = 9223372036854775807n;
/** What SQLite's unescaper yields for a broken escape: dropped from values, equal to itself in label comparisons. */
const INVALID = 0x99999;

const hexValue = (s: string, from: number, count: number): number => {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const d = parseInt(s[from + k] ?? '', 16);
    v = v * 16 + (Number.isNaN(d) ? 0 : d);
  }
  return v;
};

/** One escape sequence at z[i] ('\\'): the code point and how many characters it spans. */
function unescapeOne(z: string, i: number): [number, number] {
  const n = z.length - i;
  if (n < 2) return [INVALID, n];
  const e = z.charCodeAt(i + 1);
  switch (e) {
    case 0x75: {
      if (n < 6) return [INVALID, n];
      const v = hexValue(z, i + 2, 4);
      if ((v & 0xfc00) === 0xd800 && n >= 12 && z[i + 6] === '\\' && z[i + 7] === 'u') {
        const lo = hexValue(z, i + 8, 4);
        if ((lo & 0xfc00) === 0xdc00) return [((v & 0x3ff) << 10) + (lo & 0x3ff) + 0x10000, 12];
      }
      return [v, 6];
    }
    case 0x62:
      return [0x08, 2];
    case 0x66:
      return [0x0c, 2];
    case 0x6e:
      return [0x0a, 2];
    case 0x72:
      return [0x0d, 2];
    case 0x74:
      return [0x09, 2];
    case 0x76:
      return [0x0b, 2];
    case 0x30: {
      const d = z.charCodeAt(i + 2);
      return [n > 2 && d >= 0x30 && d <= 0x39 ? INVALID : 0, 2];
    }
    case 0x27:
    case 0x22:
    case 0x2f:
    case 0x5c:
      return [e, 2];
    case 0x78:
      if (n < 4) return [INVALID, n];
      return [hexValue(z, i + 2, 2), 4];
    case 0x0a:
    case 0x0d:
    case 0x2028:
    case 0x2029: {
      // Escaped line breaks are skipped (JSON5 line continuations).
      let k = i;
      while (k + 1 < z.length && z[k] === '\\') {
        const c = z.charCodeAt(k + 1);
        if (c === 0x0a || c === 0x2028 || c === 0x2029) k += 2;
        else if (c === 0x0d) k += z.charCodeAt(k + 2) === 0x0a ? 3 : 2;
        else break;
      }
      if (k === z.length) return [0, k - i];
      if (z[k] === '\\') {
        const [v, len] = unescapeOne(z, k);
        return [v, k - i + len];
      }
      const cp = z.codePointAt(k)!;
      return [cp, k - i + (cp > 0xffff ? 2 : 1)];
    }
    default:
      return [INVALID, 2];
  }
}

/**
 * A string payload with its escapes decoded. For label comparison (`compare`), a broken escape
 * stands for itself and the text ends at a decoded NUL, as in jsonLabelCompareEscaped.
 */
export function decodeEscapes(z: string, compare = false): string {
  if (!z.includes('\\')) return z;
  let out = '';
  let from = 0;
  for (let i = z.indexOf('\\'); i >= 0 && i < z.length; i = z.indexOf('\\', i)) {
    out += z.slice(from, i);
    const [v, len] = unescapeOne(z, i);
    if (v === INVALID) {
      if (compare) out += String.fromCodePoint(INVALID);
    } else if (compare && v === 0) {
      return out;
    } else out += v > 0xffff ? String.fromCodePoint(v) : String.fromCharCode(v);
    i += len;
    from = i;
  }
  return out + z.slice(from);
}

/** A label's (or path key's) text for comparison: raw labels as they are, escaped ones decoded. */
export function labelKey(n: JsonNode): string {
  return n.type === J_TEXT || n.type === J_TEXTRAW ? n.text : decodeEscapes(n.text, true);
}

/** An integer literal's value: INTEGER when it fits in 64 bits, else REAL (SQLite's rules, hex included). */
function integerValue(text: string, hex: boolean): SqlValue {
  const neg = text[0] === '-';
  const body = neg ? text.slice(1) : text;
  if (hex) {
    const digits = body.slice(2).replace(/^0+/, '');
    if (digits.length > 16) throw malformed();
    const u = digits === '' ? 0n : BigInt(`0x${digits}`);
    // 16 hex digits with the top bit set do not fit an INTEGER: SQLite reads them as unsigned, as REAL.
    if (u > MAX_INT64) return neg ? -Number(u) : Number(u);
    return neg ? -u : u;
  }
  const v = BigInt(body);
  if (v <= MAX_INT64) return neg ? -v : v;
  if (neg && v === MAX_INT64 + 1n) return -v;
  return Number(text);
}

/** What json_extract / ->> return for a node: an SQL value, containers as JSON text. */
export function sqlValueOf(n: JsonNode): SqlValue {
  switch (n.type) {
    case J_NULL:
      return null;
    case J_TRUE:
      return 1n;
    case J_FALSE:
      return 0n;
    case J_INT:
      return integerValue(n.text, false);
    case J_INT5:
      return integerValue(n.text, true);
    case J_FLOAT:
    case J_FLOAT5:
      return Number(n.text);
    case J_TEXT:
    case J_TEXTRAW:
      return n.text;
    case J_TEXTJ:
    case J_TEXT5:
      return decodeEscapes(n.text);
    default:
      return renderJson(n);
  }
}

export function blobError(): QueryError {
  return new QueryError('JSON cannot hold BLOB values', { remediation: 'Store binary data as hex() or base64 text inside JSON.' });
}

/** REAL as JSON sees it: infinities become 9e999 (SQLite's spelling, read back as infinity). */
function realText(r: number, json5Infinity: string): string {
  if (r === Infinity) return json5Infinity;
  if (r === -Infinity) return `-${json5Infinity}`;
  return realToText(r);
}

/**
 * An SQL argument as a JSON node (json_set's values, …): text marked as JSON (SQLite's subtype)
 * is parsed, other text is a string, blobs must be JSONB.
 */
export function nodeOfValue(v: SqlValue, isJson: boolean): JsonNode {
  if (v === null) return NULL_NODE;
  if (typeof v === 'string') return isJson ? parseJson(v).root : new JsonNode(J_TEXTRAW, v, undefined);
  if (typeof v === 'bigint') return new JsonNode(J_INT, v.toString(), undefined);
  if (typeof v === 'number') return new JsonNode(J_FLOAT, realText(v, '9e999'), undefined);
  const decoded = decodeJsonb(v);
  if (!decoded) throw blobError();
  return decoded;
}

/** An SQL argument as JSON text (json_array's elements, json_quote, …), as jsonAppendSqlValue writes it. */
export function jsonTextOfValue(v: SqlValue, isJson: boolean): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return isJson ? v : quoteString(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return realText(v, '9.0e+999');
  const decoded = decodeJsonb(v);
  if (!decoded) throw blobError();
  return renderJson(decoded);
}

/**
 * Runs a JSON function so that running out of room is SQLite's error, not a crash: text beyond
 * what a JS string holds (quoting text that is itself quoted JSON doubles it each time) is
 * "string or blob too big", and a path or document nested beyond the stack a QueryError too.
 */
export function guarded<A extends readonly unknown[], R>(f: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return f(...args);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      if (/call stack/i.test(e.message))
        throw new QueryError('JSON nested too deeply', { remediation: 'Use shorter paths and shallower documents (SQLite parses at most 1000 levels).' });
      throw new QueryError('string or blob too big', { remediation: 'Build smaller JSON values.' });
    }
  };
}
