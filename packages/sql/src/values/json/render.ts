import { QueryError } from '@sochdb/core';
import { J_ARRAY, J_FALSE, J_FLOAT, J_FLOAT5, J_INT, J_INT5, J_NULL, J_OBJECT, J_TEXT, J_TEXT5, J_TEXTJ, J_TRUE, type JsonNode } from './node.js';

// Nodes back into JSON text, as SQLite renders JSONB (json.c, jsonTranslateBlobToText): the
// output is always RFC 8259 even when the input used JSON5.

const HEX = '0123456789abcdef';

/** A control character as JSON writes it (`\n`, or `\u001f`). */
function controlEscape(c: number): string {
  switch (c) {
    case 0x08:
      return '\\b';
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0c:
      return '\\f';
    case 0x0d:
      return '\\r';
    default:
      return `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
  }
}

// eslint-disable-next-line no-control-regex -- RFC 8259 requires escaping U+0000..U+001F in strings.
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;
// eslint-disable-next-line no-control-regex -- the same control characters, to replace them.
const ESCAPES = /["\\\u0000-\u001f]/g;
const escapeOne = (ch: string): string => (ch === '"' || ch === '\\' ? `\\${ch}` : controlEscape(ch.charCodeAt(0)));

/**
 * The longest JSON text built (SQLite's limit is 1e9 bytes; a JS string holds about half that).
 * Quoting text that is itself quoted JSON doubles it, so a loop of it must stop with an error
 * well before memory runs out.
 */
export const MAX_JSON_TEXT = 1 << 27;

export function textTooBig(): QueryError {
  return new QueryError('string or blob too big', { remediation: `JSON text is limited to ${MAX_JSON_TEXT} characters here.` });
}

/** Characters the escapes of `s` add. */
function escapedExtra(s: string): number {
  let extra = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) extra += 1;
    else if (c < 0x20) extra += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 1 : 5;
  }
  return extra;
}

const BLOCK = 1 << 16;

/** An SQL string as a JSON string literal: quotes, backslashes and control characters escaped. */
export function quoteString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) {
    if (s.length + 2 > MAX_JSON_TEXT) throw textTooBig();
    return `"${s}"`;
  }
  if (s.length + escapedExtra(s) + 2 > MAX_JSON_TEXT) throw textTooBig();
  if (s.length <= BLOCK) return `"${s.replace(ESCAPES, escapeOne)}"`;
  // Block by block: one replace() over a huge text of escapes overwhelms V8 (a fatal error).
  const parts = ['"'];
  for (let start = 0; start < s.length; start += BLOCK) parts.push(s.slice(start, start + BLOCK).replace(ESCAPES, escapeOne));
  parts.push('"');
  return parts.join('');
}

/** A hexadecimal JSON5 integer in decimal; beyond 60 bits SQLite gives up and writes 9.0e999. */
function hexToDecimal(text: string): string {
  let k = 2;
  let sign = '';
  if (text[0] === '-') {
    sign = '-';
    k++;
  } else if (text[0] === '+') k++;
  let u = 0n;
  let overflow = false;
  for (; k < text.length; k++) {
    if (u >> 60n !== 0n) overflow = true;
    else u = u * 16n + BigInt(parseInt(text[k]!, 16));
  }
  return sign + (overflow ? '9.0e999' : u.toString());
}

/** A JSON5 float with its missing digits beside the point supplied (`.5` → `0.5`, `5.` → `5.0`). */
function float5ToText(text: string): string {
  let out = '';
  let k = 0;
  if (text[0] === '-') {
    out = '-';
    k = 1;
  }
  if (text[k] === '.') out += '0';
  for (; k < text.length; k++) {
    const ch = text[k]!;
    out += ch;
    if (ch === '.') {
      const next = text.charCodeAt(k + 1);
      if (k + 1 === text.length || !(next >= 0x30 && next <= 0x39)) out += '0';
    }
  }
  return out;
}

/** A string payload holding JSON5 escapes or raw control characters, as RFC 8259 text. */
function text5ToJson(z: string): string {
  const out: string[] = ['"'];
  let i = 0;
  while (i < z.length) {
    let j = i;
    for (let c = z.charCodeAt(j); j < z.length && c !== 0x22 && c !== 0x5c && c > 0x1f; c = z.charCodeAt(++j));
    if (j > i) out.push(z.slice(i, j));
    if (j >= z.length) break;
    i = j;
    const c = z.charCodeAt(i);
    if (c === 0x22) {
      out.push('\\"');
      i++;
      continue;
    }
    if (c <= 0x1f) {
      out.push(controlEscape(c));
      i++;
      continue;
    }
    switch (z.charCodeAt(i + 1)) {
      case 0x27:
        out.push("'");
        break;
      case 0x76:
        out.push('\\u000b');
        break;
      case 0x78:
        out.push(`\\u00${z.slice(i + 2, i + 4)}`);
        i += 2;
        break;
      case 0x30:
        out.push('\\u0000');
        break;
      case 0x0d:
        if (z.charCodeAt(i + 2) === 0x0a) i++;
        break;
      case 0x0a:
      case 0x2028:
      case 0x2029:
        break;
      default:
        out.push(z.slice(i, i + 2));
    }
    i += 2;
  }
  out.push('"');
  return out.join('');
}

/** One scalar node as JSON text. */
function scalarText(n: JsonNode): string {
  switch (n.type) {
    case J_NULL:
      return 'null';
    case J_TRUE:
      return 'true';
    case J_FALSE:
      return 'false';
    case J_INT:
    case J_FLOAT:
      return n.text;
    case J_INT5:
      return hexToDecimal(n.text);
    case J_FLOAT5:
      return float5ToText(n.text);
    case J_TEXT:
    case J_TEXTJ:
      return `"${n.text}"`;
    case J_TEXT5:
      return text5ToJson(n.text);
    default:
      return quoteString(n.text);
  }
}

/** The node as compact JSON text. */
export function renderJson(n: JsonNode): string {
  const items = n.items;
  if (items === undefined) return scalarText(n);
  if (items.length === 0) return n.type === J_ARRAY ? '[]' : '{}';
  const parts: string[] = [];
  if (n.type === J_ARRAY) {
    for (const c of items) parts.push(renderJson(c));
    return `[${parts.join(',')}]`;
  }
  for (let i = 0; i < items.length; i += 2) parts.push(`${renderJson(items[i]!)}:${renderJson(items[i + 1]!)}`);
  return `{${parts.join(',')}}`;
}

/** json_pretty(): one element per line, nested levels indented by `indent`. */
export function renderPretty(n: JsonNode, indent: string, level = 0): string {
  const items = n.items;
  if (items === undefined || items.length === 0) return renderJson(n);
  const pad = indent.repeat(level + 1);
  const lines: string[] = [];
  if (n.type === J_ARRAY) {
    for (const c of items) lines.push(pad + renderPretty(c, indent, level + 1));
  } else {
    for (let i = 0; i < items.length; i += 2) lines.push(`${pad}${renderJson(items[i]!)}: ${renderPretty(items[i + 1]!, indent, level + 1)}`);
  }
  const [open, close] = n.type === J_OBJECT ? ['{', '}'] : ['[', ']'];
  return `${open}\n${lines.join(',\n')}\n${indent.repeat(level)}${close}`;
}
