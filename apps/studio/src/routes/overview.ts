// The overview: storage counters, and what each namespace holds (collections with their
// dimension, metric and count), the queues and their counts, the path, its size on disk and the
// open mode.
import { Hono } from 'hono';
import type { NamespaceInfo } from '@sochdb/sdk';
import type { StudioContext } from '../context.js';
import { jsonSafe } from '../json.js';
import type { CollectionSummary } from '../source.js';

export type { CollectionSummary } from '../source.js';

/** Every stored queue (by name) with its counts. */
export async function queueSummaries(ctx: StudioContext) {
  const names = await ctx.source.listQueues();
  return Promise.all(names.map(async (name) => ({ name, ...(await ctx.source.queueStats(name)) })));
}

/** The `/api/overview` route. */
export function overviewRoutes(ctx: StudioContext): Hono {
  return new Hono().get('/', async (c) => {
    const { source } = ctx;
    const stats = await source.stats();
    const namespaces: (NamespaceInfo & { collections: CollectionSummary[] })[] = [];
    for (const info of await source.listNamespaces()) namespaces.push({ ...info, collections: await source.listCollections(info.name) });
    return c.json({
      path: source.path,
      concurrent: source.concurrent,
      // How the data is reached: in this process, shared, through another's socket, or over gRPC.
      source: source.kind,
      sizeBytes: await source.sizeBytes(),
      write: ctx.write,
      stats: stats === null ? null : jsonSafe(stats),
      namespaces,
      queues: await queueSummaries(ctx),
    });
  });
}
