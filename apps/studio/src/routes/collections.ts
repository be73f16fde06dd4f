// Collections: list them, page through documents, search (vector, keyword, hybrid, or "more like
// this document"), and a 2-D projection of a sample of vectors (see projection.ts).
import { Hono } from 'hono';
import { NotFoundError, ValidationError, type CollectionDocument, type MetadataFilter, type SearchRequest } from '@sochdb/sdk';
import type { StudioContext } from '../context.js';
import { project } from '../projection.js';
import { CollectionParams, CollectionsQuery, DocumentsQuery, ProjectionQuery, SearchBody } from '../schemas.js';
import { validate } from '../validate.js';
import type { CollectionSummary } from '../source.js';

/** A document as listed: its vector only when asked for (vectors are most of a document's bytes). */
function documentOf(doc: CollectionDocument, vectors: boolean) {
  return { id: doc.id, metadata: doc.metadata, ...(doc.content === undefined ? {} : { content: doc.content }), ...(vectors ? { vector: doc.vector } : {}) };
}

/** The `/api/collections` routes. */
export function collectionRoutes(ctx: StudioContext): Hono {
  return new Hono()
    .get('/', validate('query', CollectionsQuery), async (c) => {
      const { namespace } = c.req.valid('query');
      const names = namespace === undefined || namespace === '' ? (await ctx.source.listNamespaces()).map((n) => n.name) : [namespace];
      const collections: CollectionSummary[] = [];
      for (const ns of names) collections.push(...(await ctx.source.listCollections(ns)));
      return c.json({ collections });
    })
    .get('/:ns/:name/documents', validate('param', CollectionParams), validate('query', DocumentsQuery), async (c) => {
      const { ns, name } = c.req.valid('param');
      const { limit, afterId, vectors } = c.req.valid('query');
      const collection = await ctx.source.collection(ns, name);
      // One more than the page tells whether there is a next page without a count.
      const docs = await collection.page({ limit: limit + 1, ...(afterId === undefined ? {} : { afterId }) });
      const page = docs.slice(0, limit);
      return c.json({
        documents: page.map((d) => documentOf(d, vectors)),
        next: docs.length > limit ? (page.at(-1)?.id ?? null) : null,
        count: await collection.count(),
      });
    })
    .post('/:ns/:name/search', validate('param', CollectionParams), validate('json', SearchBody), async (c) => {
      const { ns, name } = c.req.valid('param');
      const { vector, textQuery, likeId, k, filter, alpha, vectors } = c.req.valid('json');
      const collection = await ctx.source.collection(ns, name);
      let query = vector;
      if (likeId !== undefined) {
        const [like] = await collection.byIds([likeId]);
        if (like === undefined) throw new NotFoundError(`no document '${likeId}' in collection '${ns}/${name}'`);
        query = like.vector;
      }
      // "More like this" asks for one more hit: the document itself, which is left out.
      const request: SearchRequest = {
        ...(query === undefined ? {} : { vector: query }),
        ...(textQuery === undefined ? {} : { textQuery }),
        ...(filter === undefined ? {} : { filter: filter as MetadataFilter }),
        ...(alpha === undefined ? {} : { alpha }),
        k: likeId === undefined ? k : k + 1,
      };
      const hits = (await collection.search(request)).filter((hit) => hit.id !== likeId).slice(0, k);
      const withVectors = vectors && hits.length > 0 ? new Map((await collection.byIds(hits.map((h) => h.id))).map((d) => [d.id, d.vector])) : undefined;
      const mode = query !== undefined && textQuery !== undefined ? 'hybrid' : query !== undefined ? 'vector' : 'keyword';
      return c.json({ mode, hits: hits.map((hit) => ({ ...hit, ...(withVectors ? { vector: withVectors.get(hit.id) ?? [] } : {}) })) });
    })
    .get('/:ns/:name/projection', validate('param', CollectionParams), validate('query', ProjectionQuery), async (c) => {
      const { ns, name } = c.req.valid('param');
      const { sample, color } = c.req.valid('query');
      const collection = await ctx.source.collection(ns, name);
      if (collection.dimension === null) throw new ValidationError(`collection '${ns}/${name}' has no vectors yet`, { field: 'path.name' });
      // The first `sample` documents in id order: ids are usually random UUIDs, so this is a fair
      // sample without reading the whole collection.
      const docs = await collection.page({ limit: sample });
      return c.json({ ...project(docs, color), total: await collection.count() });
    });
}
