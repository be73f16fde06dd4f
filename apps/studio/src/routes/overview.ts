// The overview: storage counters, and what each namespace holds (collections with their
// dimension, metric and count), the queues and their counts, the path, its size on disk and the
// open mode.
import { Hono } from 'hono';
import { listQueues, type CollectionInfo, type NamespaceInfo } from '@sochdb/sdk';
import type { StudioContext } from '../context.js';
import { folderSize } from '../folder-size.js';
import { jsonSafe } from '../json.js';

/** A collection as the overview and `GET /api/collections` list it. */
export interface CollectionSummary {
  readonly namespace: string;
  readonly name: string;
  /** null until the first vector fixes it. */
  readonly dimension: number | null;
  readonly metric: string;
  /** Committed documents. */
  readonly count: number;
  readonly createdAt: number;
}

/** The collections of `namespace`, each opened once to count its documents. */
export async function collectionSummaries(ctx: StudioContext, namespace: string): Promise<CollectionSummary[]> {
  const ns = await ctx.db.namespace(namespace);
  const infos: CollectionInfo[] = await ns.listCollections();
  const out: CollectionSummary[] = [];
  for (const info of infos) {
    // The collection object is cached by the database: opening it again later costs nothing.
    const count = await (await ns.collection(info.name)).count();
    out.push({ namespace, name: info.name, dimension: info.dimension, metric: info.metric, count, createdAt: info.createdAt });
  }
  return out;
}

/** Every stored queue (by name) with its counts. */
export async function queueSummaries(ctx: StudioContext) {
  const names = await listQueues(ctx.db.storage);
  return Promise.all(names.map(async (name) => ({ name, ...(await ctx.queue(name).stats()) })));
}

/** The `/api/overview` route. */
export function overviewRoutes(ctx: StudioContext): Hono {
  return new Hono().get('/', async (c) => {
    const { collections: _open, queues: _queues, ...stats } = await ctx.db.stats();
    const namespaces: (NamespaceInfo & { collections: CollectionSummary[] })[] = [];
    for (const info of await ctx.db.listNamespaces()) namespaces.push({ ...info, collections: await collectionSummaries(ctx, info.name) });
    return c.json({
      path: ctx.db.path,
      concurrent: ctx.db.isConcurrent,
      sizeBytes: await folderSize(ctx.db.path),
      write: ctx.write,
      stats: jsonSafe(stats),
      namespaces,
      queues: await queueSummaries(ctx),
    });
  });
}
