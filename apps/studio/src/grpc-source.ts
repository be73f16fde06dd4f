// The StudioSource over a sochdb-grpc-server (SochDBClient). KV (root and namespaces),
// namespaces, collections (list, count, search, documents by id), SQL, queue counts, next tasks
// and a task, graph and temporal graph come over the wire; what the server has no call for
// answers NotOverGrpcError (see not-over-grpc.ts).
import { compareBytes, type OutputValue, type SqlResult } from '@sochdb/sdk';
import type { SochDBClient } from '@sochdb/grpc-client';
import { readOnlyError } from './errors.js';
import { notOverGrpc } from './not-over-grpc.js';
import type { CollectionSummary, KvView, StudioSource } from './source.js';

/** What `grpcSource` takes besides the client. */
export interface GrpcSourceOptions {
  /**
   * The queues to show: the server cannot list its queues, so they are named (`--queue`). Default
   * none: the queue pages are empty until named.
   */
  readonly queues?: readonly string[];
}

/**
 * A read-only studio over gRPC cannot open a read-only transaction on the server, so it runs only
 * a single statement that starts with SELECT or VALUES (a `;` followed by more text is refused,
 * even inside a string literal: better to refuse a harmless query than to run a hidden write).
 */
function checkReadOnlySql(sql: string): void {
  const text = sql.trim();
  if (!/^(SELECT|VALUES)\b/i.test(text) || /;\s*\S/.test(text)) {
    throw readOnlyError('over gRPC, a read-only studio runs only a single SELECT (or VALUES) statement; this SQL statement');
  }
}

/** The most keys one KV page reads over gRPC to reach its cursor (see `scan`). */
export const GRPC_KV_SCAN_MAX = 50_000;

/** A StudioSource over `client`; `close()` closes the client. */
export function grpcSource(client: SochDBClient, options: GrpcSourceOptions = {}): StudioSource {
  const queues = [...new Set(options.queues ?? [])].sort();
  const kvView = (namespace: string): KvView => ({
    // The server scans by prefix only, so a page after a cursor reads the prefix from its start,
    // up to GRPC_KV_SCAN_MAX keys: fine for browsing; deeper, a narrower prefix is needed.
    async scan({ prefix, start }, limit) {
      const first = compareBytes(start, prefix) === 0;
      const rows = await client.scanKv(namespace, Buffer.from(prefix), { limit: first ? limit : GRPC_KV_SCAN_MAX });
      const out: (readonly [Buffer, Buffer])[] = [];
      for (const [key, value] of rows) {
        if (compareBytes(key, start) < 0) continue;
        out.push([key, value]);
        if (out.length >= limit) break;
      }
      if (!first && out.length < limit && rows.length === GRPC_KV_SCAN_MAX) {
        throw notOverGrpc(`paging more than ${GRPC_KV_SCAN_MAX} keys into one prefix (give a longer prefix)`);
      }
      return out;
    },
    get: (key) => client.getKv(namespace, Buffer.from(key)),
    put: (key, value) => client.putKv(namespace, Buffer.from(key), Buffer.from(value)),
    delete: (key) => client.deleteKv(namespace, Buffer.from(key)),
  });
  return {
    kind: 'grpc',
    path: client.address,
    concurrent: true,
    stats: async () => null,
    sizeBytes: async () => null,
    listNamespaces: () => client.listNamespaces(),
    async listCollections(namespace) {
      const out: CollectionSummary[] = [];
      for (const info of await client.listCollections(namespace)) {
        const count = await client.count({ namespace, collection: info.name });
        out.push({ namespace, name: info.name, dimension: info.dimension, metric: info.metric, count, createdAt: info.createdAt });
      }
      return out;
    },
    async collection(namespace, collection) {
      const info = await client.getCollection(namespace, collection);
      return {
        dimension: info.dimension,
        count: () => client.count({ namespace, collection }),
        page: async () => Promise.reject(notOverGrpc("listing a collection's documents (and its projection)")),
        async byIds(ids) {
          const docs = await Promise.all(ids.map((id) => client.getDocument({ namespace, collection, id })));
          return docs.filter((d) => d !== null);
        },
        search: (request) => client.search({ ...request, namespace, collection }),
      };
    },
    kv: async (namespace) => kvView(namespace ?? ''),
    async sql(sql, params, readOnly) {
      if (readOnly) checkReadOnlySql(sql);
      const result: SqlResult<OutputValue[]> = await client.executeSql(sql, params, { rowMode: 'array' });
      return result;
    },
    explain: async () => Promise.reject(notOverGrpc('EXPLAIN')),
    listQueues: async () => queues,
    queueStats: (name) => client.queueStats(name),
    topK: (name, k) => client.queueTopK(name, k),
    getTask: (name, taskId) => client.queueGetTask(name, taskId),
    deadLetters: async () => Promise.reject(notOverGrpc("listing a queue's dead letters")),
    retryDeadLetter: async () => Promise.reject(notOverGrpc('retrying a dead letter')),
    purgeDeadLetters: async () => Promise.reject(notOverGrpc('purging dead letters')),
    graphTraverse: (options) => client.traverse(options),
    graphEdges: (query) => client.getGraphEdges(query),
    temporal: (query) => client.queryTemporalGraph(query),
    close: async () => client.close(),
  };
}
