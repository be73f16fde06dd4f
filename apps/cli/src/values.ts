// How SQL values and raw bytes travel through JSONL and CSV, both ways.
//
// JSONL (exact round-trip):
// - INTEGER: a JSON number; beyond ±2^53 its decimal text as a JSON string, which an INTEGER
//   column's affinity turns back into the same integer on import (a JSON number would lose digits
//   in every JSON parser that reads doubles).
// - REAL: a JSON number. TEXT: a JSON string. NULL: null.
// - BLOB: `{ "$base64": "…" }` — JSON has no bytes, and a bare base64 string would come back as TEXT.
// - On import, `true`/`false` are stored as 1/0 (SQLite has no boolean), and any other object or
//   array as its JSON text (a JSON column), except the `$base64` form above.
//
// CSV (text only): NULL is an empty unquoted field, the empty string a quoted one (""); a BLOB is
// its base64 text, decoded on import into columns declared BLOB. CSV cannot tell 1 from '1': an
// import relies on the column's affinity, as SQLite's own `.import` does.
import { isUtf8 } from 'node:buffer';
import { ValidationError } from '@sochdb/core';

/** The JSON a BLOB is written as: the marker field `$base64`. */
export const BASE64_FIELD = '$base64';

/** A SQL value (as read with safeIntegers) as a JSON value; see the file comment. */
export function sqlToJson(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) return { [BASE64_FIELD]: value.toString('base64') };
  return value;
}

/** A SQL value as a CSV cell: null stays null (written as an empty unquoted field). */
export function sqlToCsv(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'string') return value;
  // What is left is what SQL holds: a bigint or a number (anything else, defensively, as JSON).
  return typeof value === 'bigint' || typeof value === 'number' ? value.toString() : JSON.stringify(value);
}

/** A JSON value from an import line as a SQL parameter; `column` names it in errors. */
export function jsonToSql(value: unknown, column: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (!Array.isArray(value) && keys.length === 1 && keys[0] === BASE64_FIELD) {
    return decodeBase64((value as Record<string, unknown>)[BASE64_FIELD], column);
  }
  return JSON.stringify(value);
}

/** A CSV cell for a column declared `type`: base64 decoded for BLOB columns, else the text. */
export function csvToSql(cell: string | null, type: string, column: string): unknown {
  if (cell === null) return null;
  return /^blob$/i.test(type.trim()) ? decodeBase64(cell, column) : cell;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64 (Buffer.from accepts anything, silently dropping what is not base64). */
export function decodeBase64(text: unknown, field: string): Buffer {
  if (typeof text !== 'string' || !BASE64.test(text)) {
    throw new ValidationError(`${field}: not valid base64`, { field, remediation: 'Write bytes as standard base64 (A–Z a–z 0–9 + /, padded with =).' });
  }
  return Buffer.from(text, 'base64');
}

/**
 * Bytes as a JSON string plus whether they had to be base64: UTF-8 text is kept readable, any
 * other bytes are base64 and the caller records that in a marker field (`keyEncoding`,
 * `valueEncoding`).
 */
export function bytesToJson(bytes: Buffer): { readonly text: string; readonly base64: boolean } {
  return isUtf8(bytes) ? { text: bytes.toString('utf8'), base64: false } : { text: bytes.toString('base64'), base64: true };
}
