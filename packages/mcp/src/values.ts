// Turning what SochDB returns (Buffers, bigints, Float32Arrays, nested JSON) into values that
// both TOON and JSON can carry, and rows into compact TOON text for the model.
import { toToon, type ToonRecord, type ToonValue } from '@sochdb/sdk';

/** A Buffer's text: UTF-8 when it decodes cleanly, else base64 (marked, so a model never mistakes it for text). */
export function bytesText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('utf8');
  // A lossless round-trip means the bytes were valid UTF-8.
  return Buffer.from(text, 'utf8').equals(buffer) ? text : `base64:${buffer.toString('base64')}`;
}

/** `value` as a TOON/JSON value: bigints as numbers when exact (else decimal text), bytes as text, undefined as null. */
export function plain(value: unknown): ToonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return bytesText(value);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (n) => plain(n));
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const out: Record<string, ToonValue> = {};
    for (const [key, inner] of Object.entries(value)) if (inner !== undefined) out[key] = plain(inner);
    return out;
  }
  // Only functions and symbols are left: they have no data form.
  return null;
}

/** Each row made plain (see `plain`). */
export function plainRows(rows: readonly object[]): ToonRecord[] {
  return rows.map((row) => plain(row) as ToonRecord);
}

/** Rows as compact TOON (`name[n]{a,b}:1,x;2,y`), the columns in `fields` order when given. */
export function toonTable(name: string, rows: readonly ToonRecord[], fields?: readonly string[]): string {
  // toToon takes its columns from the first row; an empty result still names its columns.
  if (rows.length === 0) return `${name}[0]{${(fields ?? []).join(',')}}:`;
  return toToon(name, rows, fields);
}
