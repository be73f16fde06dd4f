import { randomUUID } from 'node:crypto';
import { DimensionMismatchError, ValidationError, type KeyValueStore, type WriteOp } from '@sochdb/core';
import type { CollectionInfo } from './collection-config.js';
import type { CollectionKeys } from './collection-keys.js';
import { hashDoc } from './collection-state.js';
import type { JsonValue, Metadata } from './filter.js';
import { prepareVector } from './metric.js';
import { termFrequencies, tokenize } from './tokenizer.js';
import { checkId, type VectorLike } from './validate.js';

export interface DocumentInput {
  /** Generated (a UUID) when omitted. Inserting an existing id replaces that document. */
  readonly id?: string;
  readonly vector: VectorLike;
  readonly metadata?: Metadata;
  /** Text for keyword (BM25) search. */
  readonly content?: string;
}

/** A document checked and ready to write. */
export interface PreparedDoc {
  readonly id: string;
  readonly vector: number[];
  readonly vectorBytes: Buffer;
  readonly metadata: Metadata;
  readonly metadataJson: string;
  readonly content: string | undefined;
  readonly frequencies: Map<string, number>;
  readonly hash: bigint;
}

export interface StoredDoc {
  readonly metadata: Metadata;
  readonly content?: string;
}

/**
 * The text BM25 indexes for a document: its content plus every string in its metadata (top-level
 * values and strings inside top-level arrays), so `{ tags: ['ml'] }` is found by "ml".
 */
export function searchableText(content: string | undefined, metadata: Metadata): string {
  const parts: string[] = content === undefined ? [] : [content];
  for (const value of Object.values(metadata)) {
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) for (const v of value as readonly JsonValue[]) if (typeof v === 'string') parts.push(v);
  }
  return parts.join('\n');
}

export function prepareDoc(input: DocumentInput, dimension: number, info: CollectionInfo, field: string): PreparedDoc {
  if (input === null || typeof input !== 'object') throw new ValidationError(`${field} must be an object { vector, metadata?, id?, content? }`, { field });
  const id = input.id === undefined ? randomUUID() : checkId(input.id, `${field}.id`);
  const vector = prepareVector(input.vector, dimension, info.metric, `${field}.vector`);
  const metadata = input.metadata ?? {};
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new ValidationError(`${field}.metadata must be a plain object`, { field: `${field}.metadata`, remediation: 'Pass metadata like { source: "web" }.' });
  }
  checkJson(metadata, `${field}.metadata`);
  if (input.content !== undefined && typeof input.content !== 'string') {
    throw new ValidationError(`${field}.content must be a string`, { field: `${field}.content` });
  }
  const vectorBytes = Buffer.from(Float32Array.from(vector).buffer);
  return {
    id,
    vector,
    vectorBytes,
    metadata,
    metadataJson: JSON.stringify(metadata),
    content: input.content,
    frequencies: termFrequencies(tokenize(searchableText(input.content, metadata))),
    hash: hashDoc(id, vectorBytes),
  };
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

/** Writes documents: vector, stored doc, BM25 postings and length; removes old versions' postings. */
export async function writeDocs(store: KeyValueStore, keys: CollectionKeys, docs: readonly PreparedDoc[]): Promise<void> {
  const olds = await store.getMany(docs.map((d) => keys.doc(d.id)));
  const ops: WriteOp[] = [];
  docs.forEach((doc, i) => {
    const raw = olds[i];
    docOps(ops, keys, doc, raw ? (JSON.parse(raw.toString('utf8')) as StoredDoc) : undefined);
  });
  await store.batch(ops);
}

function docOps(ops: WriteOp[], keys: CollectionKeys, doc: PreparedDoc, old: StoredDoc | undefined): void {
  if (old) for (const term of termFrequencies(tokenize(searchableText(old.content, old.metadata))).keys()) ops.push({ type: 'del', key: keys.posting(term, doc.id) });
  const stored: StoredDoc = doc.content === undefined ? { metadata: doc.metadata } : { metadata: doc.metadata, content: doc.content };
  ops.push({ type: 'put', key: keys.vector(doc.id), value: doc.vectorBytes });
  ops.push({ type: 'put', key: keys.doc(doc.id), value: JSON.stringify(stored) });
  let length = 0;
  for (const [term, tf] of doc.frequencies) {
    ops.push({ type: 'put', key: keys.posting(term, doc.id), value: String(tf) });
    length += tf;
  }
  ops.push({ type: 'put', key: keys.length(doc.id), value: String(length) });
}

/** Deletes a document's keys; returns false when it does not exist. */
export async function deleteDoc(store: KeyValueStore, keys: CollectionKeys, id: string): Promise<boolean> {
  const old = await readDoc(store, keys, id);
  if (!old) return false;
  const ops: WriteOp[] = [keys.vector(id), keys.doc(id), keys.length(id)].map((key) => ({ type: 'del', key }));
  for (const term of termFrequencies(tokenize(searchableText(old.content, old.metadata))).keys()) ops.push({ type: 'del', key: keys.posting(term, id) });
  await store.batch(ops);
  return true;
}

export async function readDoc(store: Pick<KeyValueStore, 'get'>, keys: CollectionKeys, id: string): Promise<StoredDoc | undefined> {
  const raw = await store.get(keys.doc(id));
  return raw ? (JSON.parse(raw.toString('utf8')) as StoredDoc) : undefined;
}

function checkJson(value: unknown, field: string, depth = 0): void {
  if (depth > 32) throw new ValidationError(`${field} is nested too deeply`, { field });
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(`${field} is ${value}; metadata numbers must be finite`, { field });
    return;
  }
  if (Array.isArray(value)) return value.forEach((v, i) => checkJson(v, `${field}[${i}]`, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) checkJson(v, `${field}.${k}`, depth + 1);
    return;
  }
  throw new ValidationError(`${field} is a ${typeof value === 'object' ? value.constructor.name : typeof value}; metadata must be JSON (objects, arrays, strings, finite numbers, booleans, null)`, {
    field,
    remediation: 'Convert dates to ISO strings or numbers and drop functions/undefined.',
  });
}
