import type { Collection } from '@sochdb/sdk';
import { embed } from './embed.js';

/** A few short documents for the search examples: text (for BM25), metadata and an embedding of the text. */
export const DOCUMENTS = [
  { id: 'doc_ml', source: 'web', content: 'Machine learning algorithms learn patterns from data' },
  { id: 'doc_nn', source: 'web', content: 'Neural networks are the basis of deep learning' },
  { id: 'doc_dl', source: 'paper', content: 'Deep learning trains neural networks with many layers' },
  { id: 'doc_db', source: 'web', content: 'Databases store and index data for fast queries' },
  { id: 'doc_ml_ops', source: 'paper', content: 'ML algorithms in production need monitoring' },
] as const;

/** Inserts DOCUMENTS with 384-dim embeddings of their text. */
export async function loadDocuments(collection: Collection): Promise<void> {
  await collection.insertBatch({
    ids: DOCUMENTS.map((d) => d.id),
    vectors: DOCUMENTS.map((d) => embed(d.content)),
    metadatas: DOCUMENTS.map((d) => ({ source: d.source })),
    contents: DOCUMENTS.map((d) => d.content),
  });
}
