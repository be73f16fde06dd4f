import { open, readFile } from 'node:fs/promises';
import { VectorFileFormatError } from '../shared/errors.js';
import { requireMetric, type Metric } from './metric.js';

/**
 * A saved VectorIndex is one file: `SOCHHNSW`, u32 LE format version, u32 LE header length, a JSON
 * header (parameters and the label → id table), then hnswlib's own serialised graph. One file
 * keeps ids, metric and parameters together with the graph so nothing can drift apart.
 */
const MAGIC = Buffer.from('SOCHHNSW', 'latin1');
const FORMAT_VERSION = 1;
const PREAMBLE = 16;

export interface IndexFileHeader {
  readonly dimension: number;
  readonly metric: Metric;
  readonly m: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly randomSeed: number;
  readonly capacity: number;
  /** `labels[label]` is the id stored under that hnswlib label, or null for a free (deleted) slot. */
  readonly labels: readonly (string | null)[];
}

export function encodeIndexFile(header: IndexFileHeader, graph: Buffer): Buffer {
  return Buffer.concat([encodeIndexHead(header), graph]);
}

/** The bytes before hnswlib's part of a saved index: preamble and JSON header. */
export function encodeIndexHead(header: IndexFileHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const preamble = Buffer.alloc(PREAMBLE);
  MAGIC.copy(preamble, 0);
  preamble.writeUInt32LE(FORMAT_VERSION, 8);
  preamble.writeUInt32LE(json.length, 12);
  return Buffer.concat([preamble, json]);
}

export function decodeIndexFile(bytes: Buffer, path?: string): { header: IndexFileHeader; graph: Buffer } {
  const headerLength = checkPreamble(bytes.subarray(0, PREAMBLE), path);
  if (bytes.length < PREAMBLE + headerLength) throw truncated(path);
  const header = parseHeader(bytes.subarray(PREAMBLE, PREAMBLE + headerLength), path);
  return { header, graph: bytes.subarray(PREAMBLE + headerLength) };
}

/** Reads only the header of a saved index (for `bulkInfo`), plus the file's size. */
export async function readIndexFileHeader(path: string): Promise<{ header: IndexFileHeader; bytes: number }> {
  const file = await openOrThrow(path);
  try {
    const { size } = await file.stat();
    const preamble = Buffer.alloc(PREAMBLE);
    await file.read(preamble, 0, PREAMBLE, 0);
    const headerLength = checkPreamble(preamble.subarray(0, Math.min(PREAMBLE, size)), path);
    if (size < PREAMBLE + headerLength) throw truncated(path);
    const json = Buffer.alloc(headerLength);
    await file.read(json, 0, headerLength, PREAMBLE);
    return { header: parseHeader(json, path), bytes: size };
  } finally {
    await file.close();
  }
}

export async function readIndexFile(path: string): Promise<{ header: IndexFileHeader; graph: Buffer }> {
  await (await openOrThrow(path)).close();
  return decodeIndexFile(await readFile(path), path);
}

async function openOrThrow(path: string) {
  try {
    return await open(path, 'r');
  } catch (cause) {
    throw new VectorFileFormatError(`cannot open index file ${path}: ${(cause as Error).message}`, {
      path,
      cause,
      remediation: 'Check the path; build the index first with bulkBuildIndex or VectorIndex.save.',
    });
  }
}

function checkPreamble(preamble: Buffer, path: string | undefined): number {
  if (preamble.length < PREAMBLE || !preamble.subarray(0, 8).equals(MAGIC)) {
    throw new VectorFileFormatError(`${path ?? 'buffer'} is not a SochDB HNSW index (missing the SOCHHNSW signature)`, {
      ...(path === undefined ? {} : { path }),
      remediation: 'Pass a file written by VectorIndex.save or bulkBuildIndex.',
    });
  }
  const version = preamble.readUInt32LE(8);
  if (version !== FORMAT_VERSION) {
    throw new VectorFileFormatError(`index format version ${version} is not supported (this build reads version ${FORMAT_VERSION})`, {
      ...(path === undefined ? {} : { path }),
      remediation: 'Rebuild the index with this version of @sochdb/vector.',
    });
  }
  return preamble.readUInt32LE(12);
}

function parseHeader(json: Buffer, path: string | undefined): IndexFileHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch (cause) {
    throw new VectorFileFormatError(`index header is not valid JSON`, { ...(path === undefined ? {} : { path }), cause });
  }
  const h = raw as Partial<IndexFileHeader> | null;
  const ints = ['dimension', 'm', 'efConstruction', 'efSearch', 'randomSeed', 'capacity'] as const;
  if (h === null || typeof h !== 'object' || !Array.isArray(h.labels) || ints.some((k) => !Number.isInteger(h[k]))) {
    throw new VectorFileFormatError('index header is missing fields', { ...(path === undefined ? {} : { path }) });
  }
  return { ...(h as IndexFileHeader), metric: requireMetric(h.metric, 'metric') };
}

function truncated(path: string | undefined): VectorFileFormatError {
  return new VectorFileFormatError(`index file ${path ?? ''} is truncated`, {
    ...(path === undefined ? {} : { path }),
    remediation: 'The file was cut short; rebuild or re-copy it.',
  });
}

/**
 * The header at the start of a saved index's bytes and the bytes it takes (preamble and JSON), or
 * undefined while `bytes` holds only part of it (more pieces to come).
 */
export function readIndexHead(bytes: Buffer): { header: IndexFileHeader; length: number } | undefined {
  if (bytes.length < PREAMBLE) return undefined;
  const length = PREAMBLE + checkPreamble(bytes.subarray(0, PREAMBLE), undefined);
  if (bytes.length < length) return undefined;
  return { header: parseHeader(bytes.subarray(PREAMBLE, length), undefined), length };
}

/**
 * Writes the graph part of a saved index that arrives in pieces (the file's bytes cut anywhere,
 * in order) to `file`, as the pieces come, and resolves with the header: the whole never sits in
 * memory, only the header (its JSON label table) and one piece at a time.
 */
export async function writeIndexGraph(pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, file: string): Promise<IndexFileHeader> {
  const out = await open(file, 'w', 0o600);
  try {
    let head: Buffer = Buffer.alloc(0);
    let header: IndexFileHeader | undefined;
    for await (const piece of pieces) {
      let rest = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      if (header === undefined) {
        // Collect the preamble and the JSON header; whatever follows them is graph.
        head = Buffer.concat([head, rest]);
        const read = readIndexHead(head);
        if (read === undefined) continue;
        header = read.header;
        rest = head.subarray(read.length);
        head = Buffer.alloc(0);
      }
      if (rest.length > 0) await out.write(rest);
    }
    if (header === undefined) {
      if (head.length < PREAMBLE) checkPreamble(head, undefined);
      throw truncated(undefined);
    }
    return header;
  } finally {
    await out.close();
  }
}
