import { QueryError } from '@sochdb/core';
import type { ScalarFunction } from '../scalar-function.js';
import { toNumeric, toText, type SqlValue } from '../values.js';
import { decodeJsonb, encodeJsonb, jsonbErrorPosition, looksLikeJsonb } from './jsonb.js';
import { J_ARRAY, type JsonNode, typeNameOf } from './node.js';
import { parseJson, tryParse } from './parse.js';
import { mergePatch } from './patch.js';
import { badPath, cPath, edit, lookup, NOT_FOUND, type EditMode } from './path.js';
import { renderJson, renderPretty, quoteString } from './render.js';
import { asJson, plain } from './subtype.js';
import { guarded, jsonTextOfValue, nodeOfValue, sqlValueOf } from './value.js';

// SQLite's JSON scalar functions (https://sqlite.org/json1.html), text and JSONB flavours.

/** The JSON document an argument holds (jsonParseFuncArg): NULL stays NULL, JSONB blobs are read as such. */
export function documentOf(v: SqlValue): JsonNode | null {
  if (v === null) return null;
  if (v instanceof Uint8Array) {
    const decoded = decodeJsonb(v);
    if (decoded) return decoded;
  }
  return parseJson(toText(v)!).root;
}

/** What a JSON function returns: text with the subtype, or a JSONB blob for the jsonb_* flavour. */
type Output = (n: JsonNode) => SqlValue;
const asText: Output = (n) => asJson(renderJson(n));
const asBlob: Output = (n) => plain(encodeJsonb(n));
/** JSON text a function built itself, in the flavour's form. */
const textOut = (blob: boolean, text: string): SqlValue => (blob ? plain(encodeJsonb(parseJson(text).root)) : asJson(text));

/** A path argument that must start with '$' (json_extract, json_set, …). */
function pathArg(v: SqlValue): string | null {
  if (v === null) return null;
  const path = cPath(toText(v)!);
  if (path[0] !== '$') throw badPath(path);
  return path;
}

function extract(out: Output, blob: boolean) {
  return (args: readonly SqlValue[]): SqlValue => {
    if (args.length < 2) return plain(null);
    const doc = documentOf(args[0]!);
    if (doc === null) return plain(null);
    const parts: string[] = [];
    for (let i = 1; i < args.length; i++) {
      const path = pathArg(args[i]!);
      if (path === null) return plain(null);
      const found = lookup(doc, path.slice(1));
      if (found === NOT_FOUND) {
        if (args.length === 2) return plain(null);
        parts.push('null');
        continue;
      }
      if (typeof found === 'string') throw badPath(path);
      if (args.length === 2) return found.node.type >= J_ARRAY ? out(found.node) : plain(sqlValueOf(found.node));
      parts.push(renderJson(found.node));
    }
    return textOut(blob, `[${parts.join(',')}]`);
  };
}

function editor(mode: EditMode, name: string, out: Output) {
  return (args: readonly SqlValue[], json?: readonly boolean[]): SqlValue => {
    if (args.length < 1) return plain(null);
    if (args.length % 2 === 0)
      throw new QueryError(`json_${name}() needs an odd number of arguments`, {
        remediation: `Pass the JSON, then path and value pairs: json_${name}(j, '$.a', 1).`,
      });
    let doc = documentOf(args[0]!);
    if (doc === null) return plain(null);
    for (let i = 1; i < args.length; i += 2) {
      const path = pathArg(args[i]!);
      if (path === null) continue;
      const value = nodeOfValue(args[i + 1]!, json?.[i + 1] ?? false);
      if (path.length === 1) {
        if (mode !== 'insert') doc = value;
        continue;
      }
      const r = edit(doc, path, 1, mode, value);
      if (r === NOT_FOUND) continue;
      if (typeof r === 'string') throw badPath(path);
      doc = r;
    }
    return out(doc);
  };
}

function remove(out: Output) {
  return (args: readonly SqlValue[]): SqlValue => {
    if (args.length < 1) return plain(null);
    let doc = documentOf(args[0]!);
    if (doc === null) return plain(null);
    for (let i = 1; i < args.length; i++) {
      if (args[i] === null) return plain(null);
      const path = pathArg(args[i]!)!;
      if (path.length === 1) return plain(null);
      const r = edit(doc, path, 1, 'remove', doc);
      if (r === NOT_FOUND) continue;
      if (typeof r === 'string') throw badPath(path);
      doc = r;
    }
    return out(doc);
  };
}

function array(blob: boolean) {
  return (args: readonly SqlValue[], json?: readonly boolean[]): SqlValue =>
    textOut(blob, `[${args.map((v, i) => jsonTextOfValue(v, json?.[i] ?? false)).join(',')}]`);
}

function object(blob: boolean) {
  return (args: readonly SqlValue[], json?: readonly boolean[]): SqlValue => {
    if (args.length % 2 !== 0) throw new QueryError('json_object() requires an even number of arguments', { remediation: 'Pass label and value pairs.' });
    const parts: string[] = [];
    for (let i = 0; i < args.length; i += 2) {
      const label = args[i]!;
      if (typeof label !== 'string') throw new QueryError('json_object() labels must be TEXT', { remediation: 'Cast the label to TEXT.' });
      parts.push(`${quoteString(label)}:${jsonTextOfValue(args[i + 1]!, json?.[i + 1] ?? false)}`);
    }
    return textOut(blob, `{${parts.join(',')}}`);
  };
}

function patch(out: Output) {
  return (args: readonly SqlValue[]): SqlValue => {
    const target = documentOf(args[0]!);
    if (target === null) return plain(null);
    const p = documentOf(args[1]!);
    if (p === null) return plain(null);
    return out(mergePatch(target, p));
  };
}

function jsonType(args: readonly SqlValue[]): SqlValue {
  const doc = documentOf(args[0]!);
  if (doc === null) return plain(null);
  if (args.length < 2) return plain(typeNameOf(doc));
  const path = pathArg(args[1]!);
  if (path === null) return plain(null);
  const found = lookup(doc, path.slice(1));
  if (found === NOT_FOUND) return plain(null);
  if (typeof found === 'string') throw badPath(path);
  return plain(typeNameOf(found.node));
}

function arrayLength(args: readonly SqlValue[]): SqlValue {
  const doc = documentOf(args[0]!);
  if (doc === null) return plain(null);
  let node = doc;
  if (args.length === 2) {
    if (args[1] === null) return plain(null);
    const path = cPath(toText(args[1]!)!);
    const found = lookup(doc, path[0] === '$' ? path.slice(1) : '@');
    if (found === NOT_FOUND) return plain(null);
    if (typeof found === 'string') throw badPath(path);
    node = found.node;
  }
  return plain(BigInt(node.type === J_ARRAY ? node.items!.length : 0));
}

/** sqlite3_value_int64: integers as they are, reals truncated, text by its numeric prefix. */
function int64Of(v: SqlValue): number {
  const n = toNumeric(v);
  if (n === null) return 0;
  return typeof n === 'bigint' ? (n > 1000n ? 1000 : n < -1000n ? -1000 : Number(n)) : Math.trunc(n);
}

function valid(args: readonly SqlValue[]): SqlValue {
  let flags = 1;
  if (args.length === 2) {
    const f = int64Of(args[1]!);
    if (!(f >= 1 && f <= 15))
      throw new QueryError('FLAGS parameter to json_valid() must be between 1 and 15', {
        remediation: '1: RFC 8259 text, 2: JSON5 text, 4/8: JSONB (loose/strict); add them to combine.',
      });
    flags = f;
  }
  const v = args[0]!;
  if (v === null) return plain(null);
  if (v instanceof Uint8Array && looksLikeJsonb(v)) {
    if (flags & 4) return plain(1n);
    if (flags & 8) return plain(jsonbErrorPosition(v) === 0 ? 1n : 0n);
    return plain(0n);
  }
  if ((flags & 3) === 0) return plain(0n);
  const text = toText(v)!;
  if (text.length === 0) return plain(0n);
  const r = tryParse(text);
  if (typeof r === 'number') return plain(0n);
  return plain(flags & 2 || !r.nonstd ? 1n : 0n);
}

function errorPosition(args: readonly SqlValue[]): SqlValue {
  const v = args[0]!;
  if (v === null) return plain(null);
  if (v instanceof Uint8Array && looksLikeJsonb(v)) return plain(BigInt(jsonbErrorPosition(v)));
  const text = toText(v)!;
  const r = tryParse(text);
  if (typeof r !== 'number') return plain(0n);
  // A character position (1-based), as SQLite counts UTF-8 characters.
  let chars = 0;
  for (let i = 0; i < r && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800)) chars++;
  }
  return plain(BigInt(chars + 1));
}

function pretty(args: readonly SqlValue[]): SqlValue {
  const doc = documentOf(args[0]!);
  if (doc === null) return plain(null);
  const indent = args.length > 1 && args[1] !== null ? toText(args[1]!)! : '    ';
  return plain(renderPretty(doc, indent));
}

/** Marks the functions whose arguments' JSON subtype matters (see subtype.ts). */
const readsSubtype = (f: ScalarFunction): ScalarFunction => ({ ...f, readsSubtype: true });

const ANY = Infinity;

const ENTRIES: readonly (readonly [string, ScalarFunction])[] = [
  [
    'json',
    {
      min: 1,
      max: 1,
      fn: (a) => {
        const d = documentOf(a[0]!);
        return d === null ? plain(null) : asText(d);
      },
    },
  ],
  [
    'jsonb',
    {
      min: 1,
      max: 1,
      fn: (a) => {
        const d = documentOf(a[0]!);
        return d === null ? plain(null) : asBlob(d);
      },
    },
  ],
  ['json_array', readsSubtype({ min: 0, max: ANY, fn: array(false) })],
  ['jsonb_array', readsSubtype({ min: 0, max: ANY, fn: array(true) })],
  ['json_object', readsSubtype({ min: 0, max: ANY, fn: object(false) })],
  ['jsonb_object', readsSubtype({ min: 0, max: ANY, fn: object(true) })],
  ['json_quote', readsSubtype({ min: 1, max: 1, fn: (a, json) => asJson(jsonTextOfValue(a[0]!, json?.[0] ?? false)) })],
  ['json_array_length', { min: 1, max: 2, fn: arrayLength }],
  ['json_type', { min: 1, max: 2, fn: jsonType }],
  ['json_valid', { min: 1, max: 2, fn: valid }],
  ['json_error_position', { min: 1, max: 1, fn: errorPosition }],
  ['json_pretty', { min: 1, max: 2, fn: pretty }],
  ['json_extract', { min: 0, max: ANY, fn: extract(asText, false) }],
  ['jsonb_extract', { min: 0, max: ANY, fn: extract(asBlob, true) }],
  ['json_set', readsSubtype({ min: 0, max: ANY, fn: editor('set', 'set', asText) })],
  ['jsonb_set', readsSubtype({ min: 0, max: ANY, fn: editor('set', 'set', asBlob) })],
  ['json_insert', readsSubtype({ min: 0, max: ANY, fn: editor('insert', 'insert', asText) })],
  ['jsonb_insert', readsSubtype({ min: 0, max: ANY, fn: editor('insert', 'insert', asBlob) })],
  ['json_replace', readsSubtype({ min: 0, max: ANY, fn: editor('replace', 'replace', asText) })],
  ['jsonb_replace', readsSubtype({ min: 0, max: ANY, fn: editor('replace', 'replace', asBlob) })],
  ['json_remove', { min: 0, max: ANY, fn: remove(asText) }],
  ['jsonb_remove', { min: 0, max: ANY, fn: remove(asBlob) }],
  ['json_patch', { min: 2, max: 2, fn: patch(asText) }],
  ['jsonb_patch', { min: 2, max: 2, fn: patch(asBlob) }],
];

export const JSON_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = ENTRIES.map(([name, f]) => [name, { ...f, fn: guarded(f.fn) }]);

/** `j -> path` (JSON text) and `j ->> path` (an SQL value), with PostgreSQL's shorthand paths. */
export const arrow = guarded(arrowUnguarded);

function arrowUnguarded(doc: SqlValue, pathValue: SqlValue, asSql: boolean): SqlValue {
  const root = documentOf(doc);
  if (root === null || pathValue === null) return plain(null);
  const text = cPath(toText(pathValue)!);
  let path: string;
  if (text[0] === '$') path = text.slice(1);
  else if (typeof pathValue === 'bigint') path = `[${text[0] === '-' ? '#' : ''}${text}]`;
  else if (/^[A-Za-z0-9_]*$/.test(text)) path = `.${text}`;
  else if (text[0] === '[' && text.length >= 3 && text.endsWith(']')) path = text;
  else path = `."${text}"`;
  const found = lookup(root, path);
  if (found === NOT_FOUND) return plain(null);
  if (typeof found === 'string') throw badPath(text);
  if (asSql) return plain(sqlValueOf(found.node));
  return asJson(renderJson(found.node));
}
