// collection_list, collection_info, collection_search (always) and collection_insert (with
// writes), on the namespace's vector collections.
import { ValidationError, type Metadata, type MetadataFilter } from '@sochdb/sdk';
import { z } from 'zod';
import { count, filter, id, metadata, vector } from '../schemas.js';
import { guarded, ok } from '../tool-result.js';
import { plain, plainRows, toonTable } from '../values.js';
import { READ_ONLY, WRITES, type ToolContext } from './context.js';

const collection = id('collection name');

/** Registers the collection tools (the insert only when writes are allowed). */
export function registerCollectionTools({ server, scope, options }: ToolContext): void {
  const where = `namespace '${options.namespace}'`;
  server.registerTool(
    'collection_list',
    {
      title: 'List collections',
      description: `List the vector collections of ${where} with their settings (dimension, metric, HNSW parameters).`,
      inputSchema: {},
      annotations: READ_ONLY,
    },
    guarded(async () => {
      const rows = plainRows(await (await scope.reader()).listCollections());
      return ok(toonTable('collections', rows), { collections: rows });
    }),
  );
  server.registerTool(
    'collection_info',
    {
      title: 'Collection info',
      description: `One collection of ${where}: its settings and how many documents it holds.`,
      inputSchema: { collection },
      annotations: READ_ONLY,
    },
    guarded(async (args) => {
      const col = await (await scope.reader()).collection(args.collection);
      const info = { ...(plain(col.info) as object), documents: await col.count() };
      return ok(JSON.stringify(info), info);
    }),
  );
  server.registerTool(
    'collection_search',
    {
      title: 'Search a collection',
      description:
        `Search a vector collection of ${where}: give vector for similarity search, query for keyword (BM25) search, ` +
        'or both for hybrid search (alpha weights the vector side). filter restricts by metadata. Results as TOON hits[n]{id,score,content,metadata}.',
      inputSchema: {
        collection,
        vector: vector.optional(),
        query: z.string().min(1).max(10_000).optional().describe('keyword query (BM25)'),
        k: count('results', 10, 100),
        filter: filter.optional(),
        alpha: z.number().min(0).max(1).optional().describe('hybrid only: weight of the vector ranking, 0–1 (default 0.5)'),
      },
      annotations: READ_ONLY,
    },
    guarded(async (args) => {
      if (args.vector === undefined && args.query === undefined) {
        // Said here rather than in the schema: "at least one of" has no JSON Schema form clients show.
        throw new ValidationError('collection_search needs vector, query, or both (hybrid)', {
          field: 'vector',
          remediation: 'Pass vector for similarity search, query for keyword search, or both.',
        });
      }
      const col = await (await scope.reader()).collection(args.collection);
      const hits = await col.search({
        k: args.k,
        ...(args.vector === undefined ? {} : { vector: args.vector }),
        ...(args.query === undefined ? {} : { textQuery: args.query }),
        // The collection checks the filter's operators and names a bad one in a ValidationError.
        ...(args.filter === undefined ? {} : { filter: args.filter as MetadataFilter }),
        ...(args.alpha === undefined ? {} : { alpha: args.alpha }),
      });
      const rows = plainRows(hits.map((h) => ({ id: h.id, score: Number(h.score.toFixed(6)), content: h.content ?? null, metadata: h.metadata })));
      return ok(toonTable('hits', rows, ['id', 'score', 'content', 'metadata']), { hits: rows });
    }),
  );
  if (!options.allowWrites) return;
  server.registerTool(
    'collection_insert',
    {
      title: 'Insert into a collection',
      description:
        `Insert documents into a vector collection of ${where} (an existing id is replaced). ` +
        'Set create to make the collection when it does not exist (its dimension is taken from the first vector).',
      inputSchema: {
        collection,
        documents: z
          .array(
            z.object({
              id: id('document id').optional(),
              vector,
              metadata: metadata.optional(),
              content: z.string().max(1_000_000).optional().describe('text for keyword search'),
            }),
          )
          .min(1, 'give at least one document')
          .max(1000)
          .describe('documents to insert (1–1000)'),
        create: z.boolean().default(false).describe('create the collection when missing'),
        metric: z.enum(['cosine', 'euclidean', 'dot_product']).default('cosine').describe('metric of a collection created now'),
      },
      annotations: WRITES,
    },
    guarded(async (args) => {
      const ns = await scope.writer();
      const col = args.create ? await ns.getOrCreateCollection(args.collection, { metric: args.metric }) : await ns.collection(args.collection);
      const ids = await col.insertBatch({
        vectors: args.documents.map((d) => d.vector),
        metadatas: args.documents.map((d) => (d.metadata ?? {}) as Metadata),
        // An omitted id becomes a random UUID, an omitted content no text (insertBatch's rules).
        ids: args.documents.map((d) => d.id),
        contents: args.documents.map((d) => d.content),
      });
      return ok(`inserted ${ids.length} document(s): ${ids.join(', ')}`, { ids });
    }),
  );
}
