import {
  FALSE_NODE,
  J_ARRAY,
  J_FALSE,
  J_FLOAT,
  J_FLOAT5,
  J_INT,
  J_INT5,
  J_NULL,
  J_OBJECT,
  J_TEXT,
  J_TEXT5,
  J_TEXTJ,
  J_TEXTRAW,
  J_TRUE,
  JsonNode,
  NULL_NODE,
  TRUE_NODE,
} from './node.js';
import { JSON_MAX_DEPTH, malformed } from './parse.js';

/**
 * SQLite's binary JSON (JSONB, https://sqlite.org/jsonb.html): a node is a header — element type
 * in the low 4 bits, payload size in the high 4 bits or in the 1, 2, 4 or 8 bytes after — then
 * the payload: text for numbers and strings, the elements for arrays and objects. Blob arguments
 * that look like JSONB are read as JSON, as SQLite does; the jsonb_* functions write it.
 */

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** [header size, payload size] of the node at i, or undefined when the header runs past `end`. */
function header(b: Uint8Array, i: number, end: number): [number, number] | undefined {
  const x = b[i]! >> 4;
  let n: number;
  let sz: number;
  if (x <= 11) {
    n = 1;
    sz = x;
  } else if (x === 12) {
    if (i + 1 >= end) return undefined;
    n = 2;
    sz = b[i + 1]!;
  } else if (x === 13) {
    if (i + 2 >= end) return undefined;
    n = 3;
    sz = (b[i + 1]! << 8) + b[i + 2]!;
  } else if (x === 14) {
    if (i + 4 >= end) return undefined;
    n = 5;
    sz = b[i + 1]! * 0x1000000 + (b[i + 2]! << 16) + (b[i + 3]! << 8) + b[i + 4]!;
  } else {
    if (i + 8 >= end || b[i + 1] || b[i + 2] || b[i + 3] || b[i + 4]) return undefined;
    n = 9;
    sz = b[i + 5]! * 0x1000000 + (b[i + 6]! << 16) + (b[i + 7]! << 8) + b[i + 8]!;
  }
  if (i + n + sz > end) return undefined;
  return [n, sz];
}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/** Whether a blob passes SQLite's quick JSONB test (jsonArgIsJsonb); small ones are checked fully. */
export function looksLikeJsonb(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  const c = b[0]!;
  if ((c & 0x0f) > J_OBJECT) return false;
  const h = header(b, 0, b.length);
  if (!h || h[0] + h[1] !== b.length) return false;
  if ((c & 0x0f) <= J_FALSE && h[1] !== 0) return false;
  return h[1] > 7 || (c !== 0x7b && c !== 0x5b && !isDigit(c)) || jsonbErrorPosition(b) === 0;
}

/** The JSONB in a blob as nodes, or undefined when the blob is not JSONB. Broken insides are "malformed JSON". */
export function decodeJsonb(b: Uint8Array): JsonNode | undefined {
  if (!looksLikeJsonb(b)) return undefined;
  return decodeAt(b, 0, b.length, 0);
}

function decodeAt(b: Uint8Array, i: number, end: number, depth: number): JsonNode {
  const h = header(b, i, end);
  if (!h || depth > JSON_MAX_DEPTH) throw malformed();
  const [n, sz] = h;
  const type = b[i]! & 0x0f;
  const from = i + n;
  const to = from + sz;
  switch (type) {
    case J_NULL:
      return NULL_NODE;
    case J_TRUE:
      return TRUE_NODE;
    case J_FALSE:
      return FALSE_NODE;
    case J_ARRAY:
    case J_OBJECT: {
      const items: JsonNode[] = [];
      for (let j = from; j < to;) {
        const ch = header(b, j, to);
        if (!ch) throw malformed();
        items.push(decodeAt(b, j, to, depth + 1));
        j += ch[0] + ch[1];
      }
      if (type === J_OBJECT && (items.length % 2 !== 0 || items.some((x, k) => k % 2 === 0 && (x.type < J_TEXT || x.type > J_TEXTRAW)))) throw malformed();
      return new JsonNode(type, '', items);
    }
    default:
      if (type > J_OBJECT || ((type === J_INT || type === J_INT5 || type === J_FLOAT || type === J_FLOAT5) && sz === 0)) throw malformed();
      return new JsonNode(type, utf8.decode(b.subarray(from, to)), undefined);
  }
}

function headerBytes(type: number, size: number): number[] {
  if (size <= 11) return [type | (size << 4)];
  if (size <= 0xff) return [type | 0xc0, size];
  if (size <= 0xffff) return [type | 0xd0, size >> 8, size & 0xff];
  return [type | 0xe0, (size >>> 24) & 0xff, (size >> 16) & 0xff, (size >> 8) & 0xff, size & 0xff];
}

/** The node as JSONB bytes (shortest headers). */
export function encodeJsonb(node: JsonNode): Uint8Array {
  const parts: Uint8Array[] = [];
  const write = (n: JsonNode): number => {
    if (n.items === undefined) {
      const payload = encoder.encode(n.text);
      parts.push(Uint8Array.from(headerBytes(n.type, payload.length)), payload);
      return 0;
    }
    const at = parts.length;
    parts.push(new Uint8Array(0));
    let size = 0;
    for (const c of n.items) {
      const before = parts.length;
      write(c);
      for (let k = before; k < parts.length; k++) size += parts[k]!.length;
    }
    parts[at] = Uint8Array.from(headerBytes(n.type, size));
    return 0;
  };
  write(node);
  return Buffer.concat(parts);
}

/** SQLite's strict JSONB check (jsonbValidityCheck): 0 when valid, else a 1-based byte position. */
export function jsonbErrorPosition(b: Uint8Array): number {
  return check(b, 0, b.length, 1);
}

function check(z: Uint8Array, i: number, end: number, depth: number): number {
  if (depth > JSON_MAX_DEPTH) return i + 1;
  const h = header(z, i, end);
  if (!h || i + h[0] + h[1] !== end) return i + 1;
  const [n, sz] = h;
  const x = z[i]! & 0x0f;
  let j = i + n;
  const k = j + sz;
  switch (x) {
    case J_NULL:
    case J_TRUE:
    case J_FALSE:
      return n + sz === 1 ? 0 : i + 1;
    case J_INT:
      if (sz < 1) return i + 1;
      if (z[j] === 0x2d) {
        j++;
        if (sz < 2) return i + 1;
      }
      for (; j < k; j++) if (!isDigit(z[j])) return j + 1;
      return 0;
    case J_INT5: {
      if (sz < 3) return i + 1;
      if (z[j] === 0x2d) {
        if (sz < 4) return i + 1;
        j++;
      }
      if (z[j] !== 0x30) return i + 1;
      if (z[j + 1] !== 0x78 && z[j + 1] !== 0x58) return j + 2;
      for (j += 2; j < k; j++) if (!/[0-9a-fA-F]/.test(String.fromCharCode(z[j]!))) return j + 1;
      return 0;
    }
    case J_FLOAT:
    case J_FLOAT5:
      return checkFloat(z, i, j, k, x === J_FLOAT5, sz);
    case J_TEXT:
      for (; j < k; j++) if (z[j]! < 0x20 || z[j] === 0x22 || z[j] === 0x5c) return j + 1;
      return 0;
    case J_TEXTJ:
    case J_TEXT5:
      return checkEscapedText(z, j, k, x === J_TEXT5);
    case J_TEXTRAW:
      return 0;
    case J_ARRAY:
    case J_OBJECT: {
      let count = 0;
      while (j < k) {
        const ch = header(z, j, k);
        if (!ch) return j + 1;
        if (x === J_OBJECT && count % 2 === 0 && ((z[j]! & 0x0f) < J_TEXT || (z[j]! & 0x0f) > J_TEXTRAW)) return j + 1;
        const sub = check(z, j, j + ch[0] + ch[1], depth + 1);
        if (sub) return sub;
        count++;
        j += ch[0] + ch[1];
      }
      return x === J_OBJECT && count % 2 !== 0 ? j + 1 : 0;
    }
    default:
      return i + 1;
  }
}

function checkFloat(z: Uint8Array, i: number, j: number, k: number, json5: boolean, sz: number): number {
  let seen = 0; // 1: '.' seen, 2: 'e' seen
  if (sz < 2) return i + 1;
  if (z[j] === 0x2d) {
    j++;
    if (sz < 3) return i + 1;
  }
  if (z[j] === 0x2e) {
    if (!json5 || !isDigit(z[j + 1])) return j + 1;
    j += 2;
    seen = 1;
  } else if (z[j] === 0x30 && !json5) {
    if (j + 3 > k) return j + 1;
    if (z[j + 1] !== 0x2e && z[j + 1] !== 0x65 && z[j + 1] !== 0x45) return j + 1;
    j++;
  }
  for (; j < k; j++) {
    const c = z[j]!;
    if (isDigit(c)) continue;
    if (c === 0x2e) {
      if (seen > 0) return j + 1;
      if (!json5 && (j === k - 1 || !isDigit(z[j + 1]))) return j + 1;
      seen = 1;
      continue;
    }
    if (c === 0x65 || c === 0x45) {
      if (seen === 2 || j === k - 1) return j + 1;
      if (z[j + 1] === 0x2b || z[j + 1] === 0x2d) {
        j++;
        if (j === k - 1) return j + 1;
      }
      seen = 2;
      continue;
    }
    return j + 1;
  }
  return seen === 0 ? i + 1 : 0;
}

function checkEscapedText(z: Uint8Array, j: number, k: number, json5: boolean): number {
  for (; j < k; j++) {
    const c = z[j]!;
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    if (c === 0x22 || c < 0x20) {
      if (!json5) return j + 1;
      continue;
    }
    if (j + 1 >= k) return j + 1;
    const e = z[j + 1]!;
    if ('"\\/bfnrt'.includes(String.fromCharCode(e))) j++;
    else if (e === 0x75) {
      if (j + 5 >= k) return j + 1;
      for (let h = j + 2; h < j + 6; h++) if (!/[0-9a-fA-F]/.test(String.fromCharCode(z[h]!))) return j + 1;
      j++;
    } else if (!json5) return j + 1;
    else j++;
  }
  return 0;
}
