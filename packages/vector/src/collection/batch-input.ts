import { ValidationError } from '@sochdb/core';
import type { Metadata } from '../metadata/filter.js';
import { isArray, type VectorLike } from '../shared/validate.js';
import type { DocumentInput } from './collection-write.js';

/**
 * `insertBatch`'s input as parallel arrays: entry i of each describes document i. Every array
 * given must have exactly one entry per document (else ValidationError); `undefined` entries mean
 * "none" (a generated id, no metadata, no text, a vector embedded from the text).
 */
export interface BatchInput {
  /**
   * One vector per document; all of the collection's dimension. May be omitted (or hold
   * `undefined` entries) when the collection has an embedding function: the contents are embedded.
   */
  readonly vectors?: readonly (VectorLike | undefined)[];
  /** Per-document metadata. */
  readonly metadatas?: readonly (Metadata | undefined)[];
  /** Per-document ids; an existing id replaces that document, an omitted one is a random UUID. Ids must be unique in the batch. */
  readonly ids?: readonly (string | undefined)[];
  /** Per-document text for keyword search. */
  readonly contents?: readonly (string | undefined)[];
}

/** A batch's documents, one per entry of its arrays (checked to be of one length). */
export function batchDocuments(batch: BatchInput, embedding: boolean): DocumentInput[] {
  const { vectors, metadatas, ids, contents } = batch ?? {};
  const [leadName, lead] = vectors !== undefined || !embedding ? ['vectors', vectors] : ['contents', contents];
  if (!isArray(lead)) {
    throw new ValidationError('insertBatch needs { vectors: [...] } (or { contents: [...] } when the collection has an embedding function)', {
      field: 'vectors',
    });
  }
  // Entry i of each array is document i: a shorter or longer array would drop documents,
  // invent ids, or pair metadata with the wrong vector, so any mismatch refuses the batch.
  checkParallel(leadName, lead.length, { vectors, ids, metadatas, contents });
  // An index loop, not map(): map skips holes, and a hole in `vectors` is a missing vector.
  return Array.from({ length: lead.length }, (_, i): DocumentInput => ({
    ...(vectors?.[i] === undefined ? {} : { vector: vectors[i] }),
    ...(ids?.[i] === undefined ? {} : { id: ids[i] }),
    ...(metadatas?.[i] === undefined ? {} : { metadata: metadatas[i] }),
    ...(contents?.[i] === undefined ? {} : { content: contents[i] }),
  }));
}

/** Checks that each optional array of a batch has exactly one entry per document. */
function checkParallel(leadName: string, count: number, arrays: Readonly<Record<string, unknown>>): void {
  for (const [name, array] of Object.entries(arrays)) {
    if (array === undefined) continue;
    const remediation = `Pass exactly one entry in ${name} per document (undefined where a document has none), or omit ${name}.`;
    if (!Array.isArray(array))
      throw new ValidationError(`insertBatch's ${name} must be an array, got ${array === null ? 'null' : typeof array}`, { field: name, remediation });
    if (array.length !== count) {
      throw new ValidationError(`insertBatch arrays differ in length: ${leadName} has ${count}, ${name} has ${array.length}`, { field: name, remediation });
    }
  }
}
