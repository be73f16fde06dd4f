import { randomUUID } from 'node:crypto';
import { DimensionMismatchError, ValidationError, type KeyValueStore, type WriteOp } from '@sochdb/core';
import { prepareStoredVector } from '../hnsw/metric.js';
import type { JsonValue, Metadata } from '../metadata/filter.js';
import { prepareChunks } from '../prepare/text-grouping.js';
import { requireId, type VectorLike } from '../shared/validate.js';
import { textAnalysisOf, type CollectionInfo } from './collection-config.js';
import type { CollectionKeys } from './collection-keys.js';
import { chunkOf, contentOf, encodeContent, storedVector, type PreparedDoc, type PreparedWrite, type StoredDoc } from './documents.js';
import { writeSegmentOps } from './postings.js';

/** One document for `Collection.insert`. */
export interface DocumentInput {
  /** Generated (a UUID) when omitted. Inserting an existing id replaces that document. */
  readonly id?: string;
  /**
   * Of the collection's dimension (the first vector fixes it when the collection has none); stored
   * as float32. All zeros is refused under `cosine`. May be omitted when the collection has an
   * embedding function and the document has `content`: the content is embedded.
   */
  readonly vector?: VectorLike;
  /** A JSON object, filterable with `MetadataFilter`; `{}` when omitted. */
  readonly metadata?: Metadata;
  /** Text for keyword (BM25) search. */
  readonly content?: string;
}

export function prepareDoc(input: DocumentInput, dimension: number, info: CollectionInfo, field: string): PreparedDoc {
  if (input === null || typeof input !== 'object') throw new ValidationError(`${field} must be an object { vector, metadata?, id?, content? }`, { field });
  const id = input.id === undefined ? randomUUID() : requireId(input.id, `${field}.id`);
  const vector = prepareStoredVector(input.vector, dimension, info.metric, `${field}.vector`);
  const metadata = input.metadata ?? {};
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new ValidationError(`${field}.metadata must be a plain object`, { field: `${field}.metadata`, remediation: 'Pass metadata like { source: "web" }.' });
  }
  checkJson(metadata, `${field}.metadata`);
  if (input.content !== undefined && typeof input.content !== 'string') {
    throw new ValidationError(`${field}.content must be a string`, { field: `${field}.content` });
  }
  const vectorBytes = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  return {
    id,
    vector,
    vectorBytes,
    metadata,
    metadataJson: JSON.stringify(metadata),
    content: input.content,
  };
}

/**
 * Checks a write's documents (ids unique within it), then tokenizes and groups their text, makes
 * their stored records (naming `segment`) and hashes their vectors (on a worker thread when there
 * is a lot of text: see text-grouping.ts).
 */
export async function prepareWrite(inputs: readonly DocumentInput[], dimension: number, info: CollectionInfo, segment: string): Promise<PreparedWrite> {
  const seen = new Set<string>();
  const docs = inputs.map((input, i) => {
    const doc = prepareDoc(input, dimension, info, inputs.length === 1 ? 'doc' : `docs[${i}]`);
    if (seen.has(doc.id)) throw new ValidationError(`id '${doc.id}' appears twice in one batch`, { field: 'ids' });
    seen.add(doc.id);
    return doc;
  });
  const chunks = await prepareChunks({
    ids: docs.map((d) => d.id),
    contents: docs.map((d) => d.content),
    metadataJsons: docs.map((d) => d.metadataJson),
    vectors: { rows: docs.map((d) => d.vector), dimension, normalize: info.metric === 'cosine' },
    segment,
    text: textAnalysisOf(info),
  });
  return { docs, chunks, segment };
}

/** The dimension documents must have: the configured one, else the first vector's. */
export function dimensionFor(info: CollectionInfo, first: DocumentInput | undefined): number {
  if (info.dimension !== null) return info.dimension;
  const v = first?.vector as ArrayLike<number> | undefined;
  if (!v || typeof v.length !== 'number' || v.length < 1) {
    throw new ValidationError('the first vector of a collection without a dimension must be a non-empty array', { field: 'vector' });
  }
  if (v.length > 65_536) throw new DimensionMismatchError(65_536, v.length, { field: 'vector' });
  return v.length;
}

/**
 * Writes documents and their postings: each document's vector, record (naming the write's
 * segment id) and text, and a postings segment per chunk (see postings.ts). Replaced versions need no writes: their
 * postings die because the record now names another segment, and a replaced text is overwritten
 * or, when the new version has none, deleted.
 */
export async function writeDocs(store: KeyValueStore, keys: CollectionKeys, write: PreparedWrite): Promise<void> {
  const ops: WriteOp[] = [];
  for (const [i, doc] of write.docs.entries()) {
    const { chunk, d } = chunkOf(write, i);
    const { records, recordEnds } = chunk;
    const start = d === 0 ? 0 : recordEnds[d - 1]!;
    ops.push({ type: 'put', key: keys.vector(doc.id), value: doc.vectorBytes });
    ops.push({ type: 'put', key: keys.doc(doc.id), value: Buffer.from(records.buffer, records.byteOffset + start, recordEnds[d]! - start) });
    ops.push(doc.content === undefined ? { type: 'del', key: keys.text(doc.id) } : { type: 'put', key: keys.text(doc.id), value: encodeContent(doc.content) });
  }
  for (const op of writeSegmentOps(keys, write)) ops.push(op);
  // Every key and value here is freshly made for this write (vectors are copies: see toFloat32)
  // and never changed again, so the transaction may keep them instead of copying each.
  await store.batch(ops, { copy: false });
}

/** Deletes the documents of `ids` that exist; returns their ids. Their postings die with their records. */
export async function deleteDocs(store: KeyValueStore, keys: CollectionKeys, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const records = await store.getMany(unique.map((id) => keys.doc(id)));
  const gone = unique.filter((_, i) => records[i] !== undefined);
  if (gone.length > 0) await store.batch(gone.flatMap((id) => [keys.vector(id), keys.doc(id), keys.text(id)].map((key): WriteOp => ({ type: 'del', key }))));
  return gone;
}

/** The fields `Collection.update` changes; those not given keep their value. */
export interface DocumentPatch {
  /** Merged into the stored metadata: each key given replaces that key; a key given as `undefined` is removed. */
  readonly metadata?: { readonly [key: string]: JsonValue | undefined };
  /** The new text; `null` removes it. */
  readonly content?: string | null;
  /** The new vector. */
  readonly vector?: VectorLike;
}

/** The whole document `patch` makes of the stored one (record and vector bytes as read). */
export function patchedDocument(id: string, record: Buffer, vectorBytes: Buffer, text: Buffer | undefined, patch: DocumentPatch): DocumentInput {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new ValidationError('update needs a patch object { metadata?, content?, vector? }', { field: 'patch' });
  }
  const stored = JSON.parse(record.toString('utf8')) as StoredDoc;
  let metadata = stored.metadata;
  if (patch.metadata !== undefined) {
    if (patch.metadata === null || typeof patch.metadata !== 'object' || Array.isArray(patch.metadata)) {
      throw new ValidationError('patch.metadata must be a plain object', {
        field: 'patch.metadata',
        remediation: 'Pass the keys to change, like { reviewed: true }.',
      });
    }
    const merged: Record<string, JsonValue> = { ...stored.metadata };
    for (const [key, value] of Object.entries(patch.metadata)) {
      if (value === undefined) delete merged[key];
      else merged[key] = value;
    }
    metadata = merged;
  }
  const content = patch.content === undefined ? contentOf(stored, text) : patch.content === null ? undefined : patch.content;
  const vector = patch.vector ?? storedVector(vectorBytes);
  return { id, vector, metadata, ...(content === undefined ? {} : { content }) };
}

/**
 * Metadata may nest objects and arrays 32 levels deep, the metadata object included. The check
 * stops there, so a deeper or cyclic value fails here instead of overflowing the stack in
 * JSON.stringify.
 */
const MAX_METADATA_DEPTH = 32;

function checkJson(value: unknown, field: string, depth = 0): void {
  if (depth > MAX_METADATA_DEPTH) {
    throw new ValidationError(
      `${field} is nested too deeply: metadata may nest objects and arrays ${MAX_METADATA_DEPTH} levels deep (or it refers back to itself)`,
      {
        field,
        remediation: `Flatten the metadata to at most ${MAX_METADATA_DEPTH} levels, or store the deep part as a JSON string.`,
      },
    );
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(`${field} is ${value}; metadata numbers must be finite`, { field });
    return;
  }
  if (Array.isArray(value)) {
    // An index loop: forEach skips holes, which JSON would silently turn into null.
    for (let i = 0; i < value.length; i++) checkJson(value[i], `${field}[${i}]`, depth + 1);
    return;
  }
  const proto: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    for (const [k, v] of Object.entries(value as object)) checkJson(v, `${field}.${k}`, depth + 1);
    return;
  }
  const kind = typeof value === 'object' ? ((value as { constructor?: { name?: string } }).constructor?.name ?? 'object') : typeof value;
  throw new ValidationError(`${field} is a ${kind}; metadata must be JSON (objects, arrays, strings, finite numbers, booleans, null)`, {
    field,
    remediation: 'Convert dates to ISO strings or numbers and drop functions/undefined.',
  });
}
