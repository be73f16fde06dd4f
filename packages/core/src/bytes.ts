import { ValidationError } from './errors.js';

/** What every SochDB API accepts as a key or value: raw bytes, or a string encoded as UTF-8. */
export type BytesLike = Uint8Array | string;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Normalizes a key or value to bytes; strings are UTF-8. Buffers pass through without a copy. */
export function toBytes(value: BytesLike, field = 'value'): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new ValidationError(`${field} must be a Uint8Array or a string, got ${describe(value)}`, { field });
}

/** Views bytes as a Buffer without copying (Buffers are returned unchanged). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes UTF-8; invalid sequences become U+FFFD rather than throwing (use a fatal TextDecoder to reject them). */
export function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Encodes `text` as UTF-8 into a new Uint8Array (lone surrogates become U+FFFD). */
export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Lexicographic byte order, the order every Storage iterates in. Keys are mostly short tuples
 * that differ early, and for those a plain loop beats the native `Buffer.compare`, whose call
 * costs more than the comparison (sorted write buffers compare ~17 times per insert).
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  if (n > 64) return Buffer.compare(a, b);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Whether `a` and `b` hold the same bytes (length and content; the views' offsets do not matter). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

/** A new Buffer holding `parts` one after another (always a copy, even of a single part). */
export function concatBytes(...parts: readonly Uint8Array[]): Buffer {
  return Buffer.concat(parts);
}

/**
 * The smallest key greater than every key that starts with `prefix`, or `undefined` when no such
 * key exists (an empty prefix, or one made only of 0xFF bytes), meaning "to the end".
 */
export function prefixUpperBound(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.byteLength - 1; i >= 0; i--) {
    if (prefix[i] !== 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = end[i]! + 1;
      return end;
    }
  }
  return undefined;
}

/** Whether `bytes` begins with `prefix` (always true for an empty prefix). */
export function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.byteLength < prefix.byteLength) return false;
  return Buffer.compare(bytes.subarray(0, prefix.byteLength), prefix) === 0;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  switch (typeof value) {
    case 'function':
      return `function ${value.name || '(anonymous)'}`;
    case 'string':
      return `string ${value.slice(0, 40)}`;
    case 'symbol':
      return `symbol ${value.toString().slice(0, 40)}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} ${String(value).slice(0, 40)}`;
    default: // undefined, the only type left
      return 'undefined';
  }
}
