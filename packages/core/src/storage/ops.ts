import { toBytes, describe } from '../bytes.js';
import { ValidationError } from '../errors.js';
import type { BytesLike } from '../bytes.js';
import type { WriteOp } from './types.js';

/** A write with its key and value already as Buffers. `value` undefined means delete. */
export interface NormalizedOp {
  readonly key: Buffer;
  readonly value: Buffer | undefined;
}

export function normalizeKey(key: BytesLike, field = 'key'): Buffer {
  const bytes = toBytes(key, field);
  if (bytes.byteLength === 0) {
    throw new ValidationError(`${field} must not be empty (the empty key is reserved for SochDB's metadata)`, { field });
  }
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function normalizeValue(value: BytesLike, field = 'value'): Buffer {
  const bytes = toBytes(value, field);
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function normalizeOps(ops: readonly WriteOp[]): NormalizedOp[] {
  // Checked through an `unknown` copy: JavaScript callers may pass anything, and narrowing `ops` itself would type it `any[]`.
  const opsInput: unknown = ops;
  if (!Array.isArray(opsInput)) throw new ValidationError(`batch takes an array of operations, got ${describe(ops)}`, { field: 'ops' });
  return ops.map((op, i) => {
    if (op === null || typeof op !== 'object') throw new ValidationError(`ops[${i}] must be an object`, { field: `ops[${i}]` });
    // Buffers (what packages write) pass without building the field names errors would need.
    const key = Buffer.isBuffer(op.key) && op.key.byteLength > 0 ? op.key : normalizeKey(op.key, `ops[${i}].key`);
    if (op.type === 'put') return { key, value: Buffer.isBuffer(op.value) ? op.value : normalizeValue(op.value, `ops[${i}].value`) };
    if (op.type === 'del') return { key, value: undefined };
    throw new ValidationError(`ops[${i}].type must be 'put' or 'del', got ${describe((op as { type: unknown }).type)}`, { field: `ops[${i}].type` });
  });
}
