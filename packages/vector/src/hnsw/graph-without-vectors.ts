import { open } from 'node:fs/promises';
import { VectorFileFormatError } from '../shared/errors.js';
import { encodeIndexHead, type IndexFileHeader, readIndexHead } from './index-file.js';
import { normalizeLikeHnswlib } from './doc-vector.js';

/**
 * A saved index without the vectors of its live slots, for a collection, which keeps every vector
 * in its own record already: saving them again inside the graph doubled the vectors' share of
 * the folder (2.2× raw hnswlib on disk). Loading splices them back from the records, so an open
 * reads the same bytes as before, only from two places.
 *
 * The bytes are a saved index (`VectorIndex.toBufferSync`: SochDB's header, then hnswlib's
 * `saveIndex` output) with hnswlib's level 0 rearranged:
 *
 *   hnswlib header, as written (96 bytes: offsetLevel0, maxElements, count, sizePerElement,
 *     labelOffset, offsetData as u64; maxLevel i32; entryPoint u32; maxM, maxM0, M u64; mult f64;
 *     efConstruction u64)
 *   u32 LE n, then n × (u32 LE element, vector): the vectors of free slots (deleted documents),
 *     which the graph still walks through and no record holds
 *   count × element without its vector: links [0, offsetData) · label u64
 *   upper-level links, as written
 */
/** Bytes of hnswlib's header, at the start of its file and kept as written at the start of the stripped graph. */
export const HNSW_HEADER = 96;

/** Where an element's parts lie, read from hnswlib's header. */
interface Layout {
  readonly count: number;
  readonly maxElements: number;
  readonly perElement: number;
  readonly offsetData: number;
  readonly labelOffset: number;
}

function layoutOf(head: Buffer, dimension: number): Layout {
  const u64 = (at: number): number => Number(head.readBigUInt64LE(at));
  const layout = { maxElements: u64(8), count: u64(16), perElement: u64(24), labelOffset: u64(32), offsetData: u64(40) };
  const aligned = layout.perElement % 4 === 0 && layout.offsetData % 4 === 0;
  if (!aligned || layout.labelOffset - layout.offsetData !== dimension * 4 || layout.labelOffset + 8 > layout.perElement || layout.count > layout.maxElements) {
    throw damaged("hnswlib's header does not describe its elements");
  }
  return layout;
}

function labelAt(bytes: Buffer, element: number, layout: Layout): number {
  return Number(bytes.readBigUInt64LE(element + layout.labelOffset));
}

/**
 * A saved index's bytes without the vectors of its live slots (see above), from its header and
 * hnswlib's serialised graph, made in one allocation (joining them first, as `toBufferSync`
 * does, copied the whole graph once more: 0.7 s of a 100k collection's save).
 */
export function stripVectors(header: IndexFileHeader, graph: Buffer): Buffer {
  const head = encodeIndexHead(header);
  if (graph.length === 0) return head;
  const layout = layoutOf(graph, header.dimension);
  const vectorBytes = layout.labelOffset - layout.offsetData;
  const stripped = layout.perElement - vectorBytes;
  const level0 = HNSW_HEADER;
  const tail = level0 + layout.count * layout.perElement;
  const free: number[] = [];
  for (let i = 0; i < layout.count; i++) if (header.labels[labelAt(graph, level0 + i * layout.perElement, layout)] == null) free.push(i);
  const out = Buffer.allocUnsafeSlow(head.length + HNSW_HEADER + 4 + free.length * (4 + vectorBytes) + layout.count * stripped + graph.length - tail);
  head.copy(out, 0);
  let to = head.length + graph.copy(out, head.length, 0, HNSW_HEADER);
  to = out.writeUInt32LE(free.length, to);
  for (const i of free) {
    const from = level0 + i * layout.perElement;
    to = out.writeUInt32LE(i, to);
    to += graph.copy(out, to, from + layout.offsetData, from + layout.labelOffset);
  }
  for (let i = 0; i < layout.count; i++) {
    const from = level0 + i * layout.perElement;
    to += graph.copy(out, to, from, from + layout.offsetData);
    to += graph.copy(out, to, from + layout.labelOffset, from + layout.perElement);
  }
  graph.copy(out, to, tail);
  return out;
}

/**
 * Reads the stored vectors of ids (float32 little-endian bytes, as inserted), in order; undefined
 * where an id has none.
 */
export type VectorsOf = (ids: readonly string[]) => Promise<readonly (Uint8Array | undefined)[]>;

/** Elements whose vectors are asked for at once: bounds the memory a restore holds (~3.4 MB at 384 dimensions). */
const BATCH = 2048;

/** A batch of stripped elements and its vectors on the way. */
interface Batch {
  /** The stripped elements, whole. */
  readonly bytes: Buffer;
  readonly first: number;
  readonly labels: readonly number[];
  readonly vectors: Promise<readonly (Uint8Array | undefined)[]>;
}

/**
 * Writes hnswlib's file from stripped bytes arriving in pieces (cut anywhere, in order), asking
 * `vectorsOf` for the live slots' vectors batch by batch, in the graph's order, the next batch
 * asked for while this one is written: the whole never sits in memory, and the file is written
 * once, in order (patching each vector into place afterwards cost a write call per vector, 15 µs
 * each here). Vectors are normalised as hnswlib keeps them under cosine; `copies` (label-major),
 * when made, gets the same values. Resolves with the header, or undefined when a live slot has no
 * vector (or one of another size): these bytes do not belong to these vectors. With `missing`, a
 * live slot without a vector gets zeros instead and its id is reported (the caller deletes it).
 */
export async function writeWithoutVectors(
  pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  file: string,
  vectorsOf: VectorsOf,
  copiesFor?: (maxElements: number, dimension: number) => Float32Array,
  missing?: (id: string) => void,
): Promise<{ readonly header: IndexFileHeader; readonly copies?: Float32Array } | undefined> {
  const out = await open(file, 'w', 0o600);
  let inflight: Batch | undefined;
  try {
    let pending: Buffer = Buffer.alloc(0);
    let header: IndexFileHeader | undefined;
    let layout: Layout | undefined;
    /** Free slots' vectors by element, once their section has been read. */
    let free: Map<number, Buffer> | undefined;
    let copies: Float32Array | undefined;
    let element = 0;
    let written = true;
    const flush = async (): Promise<void> => {
      if (inflight === undefined) return;
      const batch = inflight;
      inflight = undefined;
      const expanded = expand(batch, await batch.vectors, header!, layout!, free!, copies, missing);
      if (expanded === undefined) written = false;
      else await out.write(expanded);
    };
    for await (const piece of pieces) {
      const bytes = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
      if (header === undefined) {
        const head = readIndexHead(pending);
        if (head === undefined) continue;
        header = head.header;
        pending = pending.subarray(head.length);
      }
      if (layout === undefined) {
        if (pending.length < HNSW_HEADER) continue;
        layout = layoutOf(pending, header.dimension);
        copies = copiesFor?.(layout.maxElements, header.dimension);
        await out.write(pending.subarray(0, HNSW_HEADER));
        pending = pending.subarray(HNSW_HEADER);
      }
      const vectorBytes = header.dimension * 4;
      if (free === undefined) {
        if (pending.length < 4) continue;
        const n = pending.readUInt32LE(0);
        if (pending.length < 4 + n * (4 + vectorBytes)) continue;
        free = new Map();
        for (let i = 0, at = 4; i < n; i++, at += 4 + vectorBytes) free.set(pending.readUInt32LE(at), pending.subarray(at + 4, at + 4 + vectorBytes));
        pending = pending.subarray(4 + n * (4 + vectorBytes));
      }
      const stripped = layout.perElement - vectorBytes;
      let whole = Math.min(layout.count - element, Math.floor(pending.length / stripped));
      while (whole > 0 && written) {
        const count = Math.min(whole, BATCH);
        const batchBytes = pending.subarray(0, count * stripped);
        const labels: number[] = [];
        const ids: string[] = [];
        for (let i = 0; i < count; i++) {
          const label = Number(batchBytes.readBigUInt64LE(i * stripped + layout.offsetData));
          labels.push(label);
          const id = header.labels[label];
          if (id != null) ids.push(id);
        }
        const next: Batch = { bytes: batchBytes, first: element, labels, vectors: ids.length > 0 ? vectorsOf(ids) : Promise.resolve([]) };
        next.vectors.catch(() => undefined); // awaited by flush; a failure meanwhile is not unhandled
        await flush();
        inflight = next;
        pending = pending.subarray(count * stripped);
        element += count;
        whole -= count;
      }
      if (!written) return undefined;
      if (element === layout.count) {
        await flush();
        if (!written) return undefined;
        if (pending.length > 0) await out.write(pending);
        pending = Buffer.alloc(0);
      }
    }
    if (header === undefined || layout === undefined || element < layout.count) throw damaged('it is truncated');
    return { header, ...(copies ? { copies } : {}) };
  } finally {
    await inflight?.vectors.catch(() => undefined);
    await out.close();
  }
}

/** A batch's elements whole (links, vector, label), or undefined when a vector is missing or of another size. */
function expand(
  batch: Batch,
  vectors: readonly (Uint8Array | undefined)[],
  header: IndexFileHeader,
  layout: Layout,
  free: ReadonlyMap<number, Buffer>,
  copies: Float32Array | undefined,
  missing: ((id: string) => void) | undefined,
): Buffer | undefined {
  const d = header.dimension;
  const count = batch.labels.length;
  const stripped = layout.perElement - d * 4;
  // Never from Node's shared pool, whose slices may not start at a multiple of 4; perElement and
  // offsetData are multiples of 4 (hnswlib lays out u32 links and floats; layoutOf checks).
  const expanded = Buffer.allocUnsafeSlow(count * layout.perElement);
  const words = new Uint32Array(expanded.buffer, expanded.byteOffset, expanded.length / 4);
  const floats = new Float32Array(expanded.buffer, expanded.byteOffset, expanded.length / 4);
  const source = new DataView(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  // The links and the label, a word at a time: two Buffer copies per element cost more than the rest of the restore.
  const linkWords = layout.offsetData / 4;
  const labelWords = (layout.perElement - layout.labelOffset) / 4;
  let next = 0;
  for (let i = 0; i < count; i++) {
    const from = i * stripped;
    const to = (i * layout.perElement) / 4;
    for (let w = 0; w < linkWords; w++) words[to + w] = source.getUint32(from + w * 4, true);
    for (let w = 0; w < labelWords; w++) words[to + layout.labelOffset / 4 + w] = source.getUint32(from + layout.offsetData + w * 4, true);
    const at = to + linkWords;
    const label = batch.labels[i]!;
    const id = header.labels[label];
    if (id != null) {
      const vector = vectors[next++];
      if (vector === undefined && missing) {
        // A deleted document's slot: zeros, never returned once the caller deletes it.
        missing(id);
        floats.fill(0, at, at + d);
        continue;
      }
      if (vector === undefined || vector.byteLength !== d * 4) return undefined;
      expanded.set(vector, at * 4);
      if (header.metric === 'cosine') normalizeLikeHnswlib(floats, at, at + d);
      copies?.set(floats.subarray(at, at + d), label * d);
    } else {
      const vector = free.get(batch.first + i);
      if (vector === undefined) throw damaged(`element ${batch.first + i} (a free slot) has no vector`);
      expanded.set(vector, at * 4);
    }
  }
  return expanded;
}

function damaged(what: string): VectorFileFormatError {
  return new VectorFileFormatError(`the saved graph is damaged: ${what}`, { remediation: 'Rebuild it: an open collection does so by itself.' });
}
