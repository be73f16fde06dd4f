import { DatabaseError } from '@sochdb/core';
import type { SqlValue } from '../values/values.js';

/**
 * The stored form of a row's values (keys use core's encodeKey; values do not need to sort, so
 * they use this denser, faster codec). Layout: one tag byte per value, then its payload:
 * 0 NULL · 1 INTEGER int32 (4 bytes) · 2 INTEGER int64 (8 bytes) · 3 REAL (8-byte double) ·
 * 4 TEXT (uint32 byte length + UTF-8) · 5 BLOB (uint32 length + bytes). All big-endian.
 * Hand-written because no maintained library encodes exactly SQLite's five storage classes
 * (JSON loses int vs real and bigint; v8.serialize is ~3x larger and slower per row).
 */
const NULL = 0;
const INT32 = 1;
const INT64 = 2;
const REAL = 3;
const TEXT = 4;
const BLOB = 5;

export function encodeRow(values: readonly SqlValue[]): Buffer {
  let size = 0;
  for (const v of values) {
    if (v === null) size += 1;
    else if (typeof v === 'bigint') size += v >= -2147483648n && v <= 2147483647n ? 5 : 9;
    else if (typeof v === 'number') size += 9;
    else if (typeof v === 'string') size += 5 + (isShortAscii(v) ? v.length : Buffer.byteLength(v, 'utf8'));
    else size += 5 + v.byteLength;
  }
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const v of values) {
    if (v === null) {
      out[pos++] = NULL;
    } else if (typeof v === 'bigint') {
      if (v >= -2147483648n && v <= 2147483647n) {
        out[pos++] = INT32;
        pos = out.writeInt32BE(Number(v), pos);
      } else {
        out[pos++] = INT64;
        pos = out.writeBigInt64BE(v, pos);
      }
    } else if (typeof v === 'number') {
      out[pos++] = REAL;
      pos = out.writeDoubleBE(v, pos);
    } else if (typeof v === 'string') {
      out[pos++] = TEXT;
      let len: number;
      if (isShortAscii(v)) {
        // Byte by byte: cheaper than a native call for the short ASCII most text columns hold.
        for (let c = 0; c < v.length; c++) out[pos + 4 + c] = v.charCodeAt(c);
        len = v.length;
      } else len = out.write(v, pos + 4, 'utf8');
      out.writeUInt32BE(len, pos);
      pos += 4 + len;
    } else {
      out[pos++] = BLOB;
      out.writeUInt32BE(v.byteLength, pos);
      out.set(v, pos + 4);
      pos += 4 + v.byteLength;
    }
  }
  return out;
}

function isShortAscii(v: string): boolean {
  if (v.length > 32) return false;
  for (let c = 0; c < v.length; c++) if (v.charCodeAt(c) > 0x7f) return false;
  return true;
}

/** Decodes `columnCount` values; columns added later by ALTER TABLE read as `defaults`. */
export function decodeRow(buf: Buffer, columnCount: number, defaults: readonly SqlValue[], needed?: readonly boolean[]): SqlValue[] {
  // Built with push so V8 keeps the array packed (holey arrays make concat/slice slow).
  const out: SqlValue[] = [];
  let pos = 0;
  let i = 0;
  for (; i < columnCount && pos < buf.length; i++) {
    const tag = buf[pos++];
    if (needed && !needed[i]) {
      // A column the query never reads: skip its bytes without building a value.
      out.push(null);
      pos += tag === INT32 ? 4 : tag === INT64 || tag === REAL ? 8 : tag === TEXT || tag === BLOB ? 4 + buf.readUInt32BE(pos) : 0;
      continue;
    }
    switch (tag) {
      case NULL:
        out.push(null);
        break;
      case INT32:
        out.push(BigInt(buf.readInt32BE(pos)));
        pos += 4;
        break;
      case INT64:
        out.push(buf.readBigInt64BE(pos));
        pos += 8;
        break;
      case REAL:
        out.push(buf.readDoubleBE(pos));
        pos += 8;
        break;
      case TEXT: {
        const len = buf.readUInt32BE(pos);
        out.push(buf.toString('utf8', pos + 4, pos + 4 + len));
        pos += 4 + len;
        break;
      }
      case BLOB: {
        const len = buf.readUInt32BE(pos);
        out.push(Buffer.from(buf.subarray(pos + 4, pos + 4 + len)));
        pos += 4 + len;
        break;
      }
      default:
        throw new DatabaseError(`corrupt SQL row: unknown value tag ${tag} at byte ${pos - 1}`);
    }
  }
  for (; i < columnCount; i++) out.push(defaults[i] ?? null);
  return out;
}
