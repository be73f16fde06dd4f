import { DatabaseError } from '../errors.js';

/**
 * SochDB's own state lives under the empty key, which user keys may not use: format version, the
 * last committed LSN and the key count. It is rewritten in the same atomic batch as every commit,
 * so it can never disagree with the data.
 */
export const META_KEY = Buffer.alloc(0);
const FORMAT_VERSION = 1;

export interface Meta {
  readonly lsn: bigint;
  /** Undefined when the count was not kept through the last commit (`trackKeyCount: false`). */
  readonly keysCount: number | undefined;
}

/** The stored key count of a database whose writes were not counted. */
const UNKNOWN_COUNT = 0xffff_ffff_ffff_ffffn;

export function encodeMeta(meta: Meta): Buffer {
  const buf = Buffer.alloc(17);
  buf[0] = FORMAT_VERSION;
  buf.writeBigUInt64BE(meta.lsn, 1);
  buf.writeBigUInt64BE(meta.keysCount === undefined ? UNKNOWN_COUNT : BigInt(meta.keysCount), 9);
  return buf;
}

export function decodeMeta(value: Buffer | undefined): Meta {
  if (value === undefined) return { lsn: 0n, keysCount: 0 };
  if (value.byteLength !== 17 || value[0] !== FORMAT_VERSION) {
    throw new DatabaseError(`unrecognized SochDB metadata (format ${value[0] ?? 'empty'}); this folder was written by another program or version`, {
      remediation: 'Open a folder created by this version of SochDB, or a new folder.',
    });
  }
  const count = value.readBigUInt64BE(9);
  return { lsn: value.readBigUInt64BE(1), keysCount: count === UNKNOWN_COUNT ? undefined : Number(count) };
}
