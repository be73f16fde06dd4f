import type { WriteOp } from '@sochdb/core';

/** Bytes per stored chunk of a saved graph (its bytes, hashes and documents' table). */
const CHUNK = 4 << 20;

/** What `hashesByLabel` reads of a collection's state. */
interface LabelledHashes {
  readonly labels: number;
  entryAt(label: number): { readonly hash: bigint } | undefined;
}

/** The documents' digest hashes by graph label (0 for a free label). */
export function hashesByLabel(state: LabelledHashes): Buffer {
  const hashes = Buffer.alloc(8 * state.labels);
  for (let label = 0; label < state.labels; label++) hashes.writeBigUInt64LE(state.entryAt(label)?.hash ?? 0n, label * 8);
  return hashes;
}

/** Puts `bytes` as chunks under `keyOf(i)` and deletes chunks left from a longer save; returns the chunk count. */
export function putChunks(ops: WriteOp[], keyOf: (i: number) => Buffer, bytes: Buffer, previous: number | undefined): number {
  const chunks = Math.ceil(bytes.length / CHUNK);
  for (let i = 0; i < chunks; i++) ops.push({ type: 'put', key: keyOf(i), value: bytes.subarray(i * CHUNK, (i + 1) * CHUNK) });
  for (let i = chunks; i < (previous ?? 0); i++) ops.push({ type: 'del', key: keyOf(i) });
  return chunks;
}
