// The StudioSource over an open Database: embedded, shared (openConcurrent), or through another
// process's socket. Everything the studio offers works here.
import { listQueues, type Database, type PriorityQueue } from '@sochdb/sdk';
import { deadLetters, purgeDeadLetters, retryDeadLetter, type DatabaseHandle } from './dead-letters.js';
import { folderSize } from './folder-size.js';
import { isIpcClient } from './open-database.js';
import type { CollectionSummary, KvView, StudioSource } from './source.js';
import { runSql } from './sql-run.js';

/** A StudioSource over `db`; the studio never closes `db`. */
export function databaseSource(db: Database): StudioSource {
  const queues = new Map<string, PriorityQueue>();
  const handle: DatabaseHandle = {
    db,
    queue(name) {
      let queue = queues.get(name);
      if (queue === undefined) {
        queue = db.queue(name);
        queues.set(name, queue);
      }
      return queue;
    },
  };
  const collection = async (namespace: string, name: string) => (await db.namespace(namespace)).collection(name);
  return {
    kind: isIpcClient(db) ? 'ipc' : db.isConcurrent ? 'concurrent' : 'embedded',
    path: db.path,
    concurrent: db.isConcurrent,
    async stats() {
      const { collections: _open, queues: _queues, ...stats } = await db.stats();
      return stats;
    },
    sizeBytes: () => folderSize(db.path),
    listNamespaces: () => db.listNamespaces(),
    async listCollections(namespace) {
      const ns = await db.namespace(namespace);
      const out: CollectionSummary[] = [];
      for (const info of await ns.listCollections()) {
        // The collection object is cached by the database: opening it again later costs nothing.
        const count = await (await ns.collection(info.name)).count();
        out.push({ namespace, name: info.name, dimension: info.dimension, metric: info.metric, count, createdAt: info.createdAt });
      }
      return out;
    },
    async collection(namespace, name) {
      const c = await collection(namespace, name);
      return {
        dimension: c.dimension,
        count: () => c.count(),
        page: ({ limit, afterId }) => c.get({ limit, ...(afterId === undefined ? {} : { afterId }) }),
        byIds: (ids) => c.get({ ids: [...ids] }),
        search: (request) => c.search(request),
      };
    },
    async kv(namespace) {
      const store = namespace === undefined || namespace === '' ? db : await db.namespace(namespace);
      const view: KvView = {
        scan: async ({ start, end }, limit) => store.scan(start, end, { limit }).toArray(),
        get: (key) => store.get(key),
        put: (key, value) => store.put(key, value),
        delete: async (key) => {
          await store.delete(key);
        },
      };
      return view;
    },
    sql: (sql, params, readOnly) => runSql(db, sql, params, readOnly),
    explain: (sql) => runSql(db, `EXPLAIN QUERY PLAN ${sql}`, undefined, true),
    listQueues: () => listQueues(db.storage),
    queueStats: (name) => handle.queue(name).stats(),
    topK: (name, k) => handle.queue(name).topK(k),
    getTask: (name, taskId) => handle.queue(name).getTask(taskId),
    deadLetters: (name, dlq, limit) => deadLetters(handle, name, dlq, limit),
    retryDeadLetter: (name, taskId, dlq) => retryDeadLetter(handle, name, taskId, dlq),
    purgeDeadLetters: (name, dlq) => purgeDeadLetters(handle, name, dlq),
    graphTraverse: (options) => db.graphTraverse(options),
    graphEdges: (query) => db.graphGetEdges(query),
    temporal: (query) => db.queryTemporalGraph(query),
    close: async () => undefined,
  };
}
