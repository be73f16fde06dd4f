import { DatabaseError, SochDBError, ValidationError } from '@sochdb/core';
import { isArray, type VectorLike } from '../shared/validate.js';
import type { DocumentInput } from './collection-write.js';
import type { SearchRequest } from './collection-search.js';
import type { EmbeddingFunction } from './embedding-function.js';

export type { EmbeddingFunction } from './embedding-function.js';

/** Calls `embed` and checks it kept its contract: an array with one vector per text. */
export async function embedTexts(embed: EmbeddingFunction, texts: readonly string[]): Promise<readonly VectorLike[]> {
  let vectors: unknown;
  try {
    vectors = await embed(texts);
  } catch (error) {
    if (error instanceof SochDBError) throw error;
    throw new DatabaseError(`the embedding function failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      remediation: 'Check the provider (credentials, network, rate limits), or pass vectors yourself.',
    });
  }
  if (!isArray(vectors) || vectors.length !== texts.length) {
    const got = isArray(vectors) ? `${vectors.length} vectors` : typeof vectors;
    throw new ValidationError(`the embedding function returned ${got} for ${texts.length} texts`, {
      field: 'embed',
      remediation: 'It must resolve with an array holding one vector per text, in order.',
    });
  }
  return vectors as readonly VectorLike[];
}

/**
 * The documents with a vector each: those without one get their content embedded (all in one
 * call). A document with neither, or without a vector when there is no embedding function, is
 * a ValidationError naming it.
 */
export async function withVectors(docs: readonly DocumentInput[], embed: EmbeddingFunction | undefined): Promise<readonly DocumentInput[]> {
  const missing: number[] = [];
  docs.forEach((doc, i) => {
    if (doc === null || typeof doc !== 'object' || doc.vector !== undefined) return;
    const field = docs.length === 1 ? 'doc' : `docs[${i}]`;
    if (!embed) {
      throw new ValidationError(`${field}.vector is missing`, {
        field: `${field}.vector`,
        remediation: 'Pass a vector, or give the collection an embedding function (create/open with { embed }) to embed its content.',
      });
    }
    if (typeof doc.content !== 'string') {
      throw new ValidationError(`${field} has neither a vector nor content to embed`, {
        field: `${field}.content`,
        remediation: 'Pass a vector or a content string.',
      });
    }
    missing.push(i);
  });
  if (missing.length === 0) return docs;
  const vectors = await embedTexts(
    embed!,
    missing.map((i) => docs[i]!.content!),
  );
  const out = [...docs];
  missing.forEach((i, j) => (out[i] = { ...docs[i]!, vector: vectors[j]! }));
  return out;
}

/** `search({ text })` as the vector search it means: the text embedded into `vector`. */
export async function embeddedRequest(request: SearchRequest, embed: EmbeddingFunction | undefined): Promise<SearchRequest> {
  const { text, ...rest } = request;
  if (typeof text !== 'string' || text.length === 0) throw new ValidationError('search text must be a non-empty string', { field: 'text' });
  if (!embed) {
    throw new ValidationError('search({ text }) needs an embedding function', {
      field: 'text',
      remediation: 'Open or create the collection with { embed }, or pass a vector (or textQuery for keyword search).',
    });
  }
  if (rest.vector !== undefined) throw new ValidationError('search takes text or vector, not both', { field: 'text' });
  const [vector] = await embedTexts(embed, [text]);
  return { ...rest, vector };
}

export function requireEmbedding(embed: unknown): EmbeddingFunction | undefined {
  if (embed !== undefined && typeof embed !== 'function') {
    throw new ValidationError(`embed must be a function (texts) => vectors, got ${embed === null ? 'null' : typeof embed}`, { field: 'embed' });
  }
  return embed as EmbeddingFunction | undefined;
}
