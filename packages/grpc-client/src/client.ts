import { ConnectionError, NamespaceExistsError, toBytes as bytes, ValidationError, type BytesLike, type Entry } from '@sochdb/core';
import type {
  AddEdgeOptions,
  AddNodeOptions,
  EdgeQuery,
  EdgeRef,
  GraphEdge,
  GraphNeighbor,
  GraphNode,
  GraphPath,
  ShortestPathOptions,
  TraversalNode,
  TraverseOptions,
} from '@sochdb/graph';
import {
  PriorityQueue,
  type ClaimRef,
  type EnqueueInput,
  type QueueClient,
  type QueueStats,
  type RemoteDequeueOptions,
  type RemoteNackOptions,
  type Task,
  type TaskView,
} from '@sochdb/queue';
import type { OutputValue, SqlParams, SqlResult, SqlRow } from '@sochdb/sql';
import type { AddTemporalEdgeOptions, EndTemporalEdgeOptions, TemporalEdge, TemporalQuery } from '@sochdb/temporal';
import type { BatchInput, CollectionConfig, CollectionDocument, CollectionInfo, DocumentInput, MetadataFilter, SearchResult, VectorLike } from '@sochdb/vector';
import type { NamespaceConfig, NamespaceInfo } from './namespaces.js';
import { loadProtos, type SochDBServices } from './proto.js';
import { GrpcTransport, type SochDBClientOptions } from './transport.js';
import * as graph from './wire-graph.js';
import { optionalWireInteger, toJsonText, UINT32, wireInteger } from './wire-json.js';
import * as queue from './wire-queue.js';
import { sqlRequestToWire, sqlResultFromWire } from './wire-sql.js';
import * as vector from './wire-vector.js';
import { isArray } from '@sochdb/core/internal';

/** Which collection a document call is about. */
export interface CollectionTarget {
  /** The namespace holding the collection; NamespaceNotFoundError from the server when it does not exist. */
  readonly namespace: string;
  /** The collection's name; CollectionNotFoundError from the server when it does not exist. */
  readonly collection: string;
}

/** What {@link SochDBClient.vectorSearch} takes: a nearest-neighbour query on one collection's vector index. */
export interface VectorSearchOptions extends CollectionTarget {
  /** The query vector; its length must be the collection's dimension (DimensionMismatchError otherwise). */
  readonly query: VectorLike;
  /** Default 10. */
  readonly k?: number;
  /** Only documents whose metadata matches; serialized as JSON, so it must be JSON-serializable. */
  readonly filter?: MetadataFilter;
  /** HNSW search breadth for this query (a uint32; default: the collection's `efSearch`): higher is more accurate and slower. */
  readonly efSearch?: number;
}

function requireObject(value: unknown, method: string, shape: string): void {
  if (value === null || typeof value !== 'object')
    throw new ValidationError(`${method} needs ${shape}`, { field: 'options', remediation: `Call it with ${shape}.` });
}

/**
 * A client of `sochdb-grpc-server`: the database's KV, namespaces, collections and vector
 * search, graph and temporal graph, SQL and queues over gRPC. Every method is one call and
 * resolves with the same shapes as the embedded API; failures reject with the same SochDBError
 * classes (ConnectionError when the server cannot be reached).
 *
 * It implements QueueClient, so `PriorityQueue.fromClient(client, 'tasks')` (or
 * `client.queue('tasks')`) gives the full queue API over the server's durable queue.
 *
 * @example
 * ```ts
 * await using client = new SochDBClient('db.internal:50051', { apiKey: process.env.SOCHDB_API_KEY, tls: true, timeoutMs: 5000 });
 * await client.putKv('', 'greeting', 'hello'); // namespace '' = the database's root KV
 * console.log((await client.getKv('', 'greeting'))?.toString()); // hello
 * ```
 */
export class SochDBClient implements QueueClient, AsyncDisposable {
  readonly #rpc: GrpcTransport;
  readonly #s: SochDBServices;

  /** `address` is `host:port` (default `localhost:50051`). Connects lazily, on the first call. */
  constructor(address = 'localhost:50051', options: SochDBClientOptions = {}) {
    this.#rpc = new GrpcTransport(address, options);
    this.#s = loadProtos().sochdb;
  }

  /** The `host:port` the client was created with. */
  get address(): string {
    return this.#rpc.address;
  }

  // ── Key-value (namespace '' = the database's root KV) ──────────────────────────────────────
  /** Writes one key of `namespace`'s KV (`''`: the root KV) in its own commit; resolves once the server committed it, with no LSN. */
  async putKv(namespace: string, key: BytesLike, value: BytesLike): Promise<void> {
    await this.#rpc.unary(this.#s.KvService.service.Put, { namespace, key: bytes(key, 'key'), value: bytes(value, 'value') });
  }
  /** The value, or null when the key is missing (an empty value is an empty Buffer). */
  async getKv(namespace: string, key: BytesLike): Promise<Buffer | null> {
    const reply = await this.#rpc.unary(this.#s.KvService.service.Get, { namespace, key: bytes(key, 'key') });
    return reply.found ? reply.value : null;
  }
  /** Deletes one key of `namespace`'s KV; resolves the same whether or not the key existed. */
  async deleteKv(namespace: string, key: BytesLike): Promise<void> {
    await this.#rpc.unary(this.#s.KvService.service.Delete, { namespace, key: bytes(key, 'key') });
  }
  /**
   * Entries whose key starts with `prefix` (all when omitted), in key byte order.
   *
   * @example
   * ```ts
   * // The 20 greatest keys under 'user:', last first.
   * for (const [key, value] of await client.scanKv('', 'user:', { limit: 20, reverse: true })) console.log(key.toString(), value.toString());
   * ```
   */
  async scanKv(namespace: string, prefix: BytesLike = '', options: { readonly limit?: number; readonly reverse?: boolean } = {}): Promise<Entry[]> {
    const limit = options.limit === undefined ? 0 : wireInteger(options.limit, 'limit', { min: 1, max: UINT32.max });
    const entries = await this.#rpc.serverStream(this.#s.KvService.service.Scan, {
      namespace,
      prefix: bytes(prefix, 'prefix'),
      limit,
      reverse: options.reverse === true,
    });
    return entries.map((e): Entry => [e.key, e.value]);
  }

  // ── Namespaces ─────────────────────────────────────────────────────────────────────────────
  /**
   * Creates a namespace, as the SDK's `Database.createNamespace`, but resolves with its
   * description rather than a Namespace object. NamespaceExistsError when it exists, unless
   * `existOk` (then the existing one is fetched in a second call).
   */
  async createNamespace(config: NamespaceConfig | string): Promise<NamespaceInfo> {
    const c = typeof config === 'string' ? { name: config } : config;
    if (c === null || typeof c !== 'object') throw new ValidationError('createNamespace needs a name or { name, displayName?, labels? }', { field: 'config' });
    try {
      return await this.#rpc.unary(this.#s.NamespaceService.service.CreateNamespace, {
        name: c.name,
        displayName: c.displayName ?? '',
        labels: { ...c.labels },
      });
    } catch (error) {
      // The server has no get-or-create call: one that exists (made by anyone) is read instead.
      if (c.existOk === true && error instanceof NamespaceExistsError) return this.getNamespace(c.name);
      throw error;
    }
  }
  /** The namespace `name`, created first when it does not exist. */
  getOrCreateNamespace(config: Omit<NamespaceConfig, 'existOk'> | string): Promise<NamespaceInfo> {
    return this.createNamespace({ ...(typeof config === 'string' ? { name: config } : config), existOk: true });
  }
  /** The namespace's description; NamespaceNotFoundError when it does not exist. */
  getNamespace(name: string): Promise<NamespaceInfo> {
    return this.#rpc.unary(this.#s.NamespaceService.service.GetNamespace, { name });
  }
  /** Every namespace of the server's database. */
  async listNamespaces(): Promise<NamespaceInfo[]> {
    return (await this.#rpc.unary(this.#s.NamespaceService.service.ListNamespaces, {})).namespaces;
  }
  /** Deletes the namespace and everything in it (collections, KV and graph), as `Database.deleteNamespace`. */
  async deleteNamespace(name: string): Promise<void> {
    await this.#rpc.unary(this.#s.NamespaceService.service.DeleteNamespace, { name });
  }

  // ── Collections ────────────────────────────────────────────────────────────────────────────
  /**
   * Creates a collection, as `Namespace.createCollection`, resolving with its description.
   * Options left out take the server's defaults. With `existOk`, an existing collection whose
   * settings agree with those given is described instead (CollectionConfigError when they do not),
   * as embedded; `text` (BM25 stemming and stop words) is fixed at creation.
   */
  async createCollection(namespace: string, config: CollectionConfig): Promise<CollectionInfo> {
    return vector.collectionInfoFromWire(
      await this.#rpc.unary(this.#s.CollectionService.service.CreateCollection, vector.createCollectionToWire(namespace, config)),
    );
  }
  /** The collection's description; CollectionNotFoundError when it does not exist. */
  async getCollection(namespace: string, collection: string): Promise<CollectionInfo> {
    return vector.collectionInfoFromWire(await this.#rpc.unary(this.#s.CollectionService.service.GetCollection, { namespace, collection }));
  }
  /** The descriptions of every collection in `namespace`. */
  async listCollections(namespace: string): Promise<CollectionInfo[]> {
    return (await this.#rpc.unary(this.#s.CollectionService.service.ListCollections, { namespace })).collections.map(vector.collectionInfoFromWire);
  }
  /** Deletes the collection and its documents, as `Namespace.deleteCollection`. */
  async deleteCollection(namespace: string, collection: string): Promise<void> {
    await this.#rpc.unary(this.#s.CollectionService.service.DeleteCollection, { namespace, collection });
  }
  /** Inserts (or replaces, by id) one document; resolves with its id. */
  async insert(doc: CollectionTarget & DocumentInput): Promise<string> {
    requireObject(doc, 'insert', '{ namespace, collection, vector, metadata?, id?, content? }');
    const [id] = await this.#insert(doc, [vector.documentInputToWire(doc)]);
    return id!;
  }
  /**
   * Inserts documents atomically (all or none); resolves with their ids in order.
   *
   * @example
   * ```ts
   * // Entry i of each array belongs to vectors[i]; undefined where a document has none.
   * const ids = await client.insertBatch({
   *   namespace: 'docs',
   *   collection: 'articles',
   *   vectors: [[1, 0], [0, 1]],
   *   metadatas: [{ topic: 'db' }, undefined],
   *   contents: ['B-trees and LSM trees', 'Gradient descent'],
   * }); // ids omitted: the server generates them
   * ```
   */
  async insertBatch(batch: CollectionTarget & BatchInput): Promise<string[]> {
    if (batch === null || typeof batch !== 'object' || !isArray(batch.vectors)) {
      throw new ValidationError('insertBatch needs { namespace, collection, vectors, metadatas?, ids?, contents? }', { field: 'vectors' });
    }
    // Entry i of each array is document i: a shorter or longer one would drop documents or pair
    // metadata with the wrong vector, so any mismatch is refused before anything is sent.
    for (const name of ['ids', 'metadatas', 'contents'] as const) {
      const array: unknown = batch[name];
      if (array === undefined) continue;
      if (!isArray(array)) throw new ValidationError(`insertBatch's ${name} must be an array`, { field: name });
      if (array.length !== batch.vectors.length) {
        throw new ValidationError(`insertBatch arrays differ in length: vectors has ${batch.vectors.length}, ${name} has ${array.length}`, {
          field: name,
          remediation: `Pass exactly one entry in ${name} per vector (undefined where a document has none), or omit ${name}.`,
        });
      }
    }
    const documents = Array.from(batch.vectors, (v, i) =>
      vector.documentInputToWire({ vector: v, metadata: batch.metadatas?.[i], id: batch.ids?.[i], content: batch.contents?.[i] }, `documents[${i}]`),
    );
    return this.#insert(batch, documents);
  }
  /** The document with `id`, or null when there is none (as `Collection.get`, without a transaction). */
  async getDocument(ref: CollectionTarget & { readonly id: string }): Promise<CollectionDocument | null> {
    requireObject(ref, 'getDocument', '{ namespace, collection, id }');
    const reply = await this.#rpc.unary(this.#s.CollectionService.service.GetDocument, { namespace: ref.namespace, collection: ref.collection, id: ref.id });
    return reply.found && reply.document !== null ? vector.documentFromWire(reply.document) : null;
  }
  /** Resolves with whether the document existed. */
  async deleteDocument(ref: CollectionTarget & { readonly id: string }): Promise<boolean> {
    requireObject(ref, 'deleteDocument', '{ namespace, collection, id }');
    return (await this.#rpc.unary(this.#s.CollectionService.service.DeleteDocument, { namespace: ref.namespace, collection: ref.collection, id: ref.id }))
      .deleted;
  }
  /** Number of committed documents in the collection, as `Collection.count`. */
  async count(target: CollectionTarget): Promise<number> {
    requireObject(target, 'count', '{ namespace, collection }');
    return (await this.#rpc.unary(this.#s.CollectionService.service.Count, { namespace: target.namespace, collection: target.collection })).count;
  }
  /**
   * Vector, keyword or hybrid search, as Collection.search. `filterStrategy` does not cross the
   * wire (the protocol has no field for it): the server always plans a filtered search with `auto`.
   *
   * @example
   * ```ts
   * // Hybrid: the vector ranking weighs 0.7, the BM25 ranking on textQuery 0.3.
   * const hits = await client.search({
   *   namespace: 'docs',
   *   collection: 'articles',
   *   vector: [0.9, 0.1],
   *   textQuery: 'storage engines',
   *   alpha: 0.7,
   *   k: 5,
   *   filter: { topic: { $in: ['db', 'systems'] } },
   * });
   * ```
   */
  async search(request: vector.RemoteSearchRequest): Promise<SearchResult[]> {
    return (await this.#rpc.unary(this.#s.CollectionService.service.Search, vector.searchToWire(request))).results.map(vector.hitFromWire);
  }
  /**
   * The k nearest documents to `query` (score descending).
   *
   * @example
   * ```ts
   * const [nearest] = await client.vectorSearch({ namespace: 'docs', collection: 'articles', query: [0.9, 0.1], k: 3, filter: { year: { $gte: 2020 } } });
   * console.log(nearest?.id, nearest?.score, nearest?.metadata);
   * ```
   */
  async vectorSearch(options: VectorSearchOptions): Promise<SearchResult[]> {
    requireObject(options, 'vectorSearch', '{ namespace, collection, query, k }');
    const request = {
      namespace: options.namespace,
      collection: options.collection,
      query: vector.vectorToWire(options.query, 'query'),
      k: vector.checkK(options.k),
      filterJson: toJsonText(options.filter, 'filter'),
      efSearch: optionalWireInteger(options.efSearch, 'efSearch', UINT32),
    };
    return (await this.#rpc.unary(this.#s.VectorIndexService.service.Search, request)).results.map(vector.hitFromWire);
  }

  // ── Graph ──────────────────────────────────────────────────────────────────────────────────
  /** Creates the node or replaces its type and properties, as `GraphStore.addNode` (no transaction over the wire). */
  async addGraphNode(options: AddNodeOptions): Promise<GraphNode> {
    requireObject(options, 'addGraphNode', '{ namespace, nodeId, nodeType, properties? }');
    const { namespace, nodeId, nodeType, properties } = options;
    return graph.nodeFromWire(
      await this.#rpc.unary(this.#s.GraphService.service.AddNode, { namespace, nodeId, nodeType, propertiesJson: toJsonText(properties, 'properties') }),
    );
  }
  /** The node, or null when it does not exist. */
  async getGraphNode(namespace: string, nodeId: string): Promise<GraphNode | null> {
    const reply = await this.#rpc.unary(this.#s.GraphService.service.GetNode, { namespace, nodeId });
    return reply.found && reply.node !== null ? graph.nodeFromWire(reply.node) : null;
  }
  /** Deletes the node and its edges; resolves with whether it existed. */
  async deleteGraphNode(namespace: string, nodeId: string): Promise<boolean> {
    return (await this.#rpc.unary(this.#s.GraphService.service.DeleteNode, { namespace, nodeId })).deleted;
  }
  /** Creates the edge or replaces its properties, as `GraphStore.addEdge`; both nodes must exist (GraphNodeNotFoundError). */
  async addGraphEdge(options: AddEdgeOptions): Promise<GraphEdge> {
    requireObject(options, 'addGraphEdge', '{ namespace, fromId, edgeType, toId, properties? }');
    const { namespace, fromId, edgeType, toId, properties } = options;
    return graph.edgeFromWire(
      await this.#rpc.unary(this.#s.GraphService.service.AddEdge, { namespace, fromId, edgeType, toId, propertiesJson: toJsonText(properties, 'properties') }),
    );
  }
  /** Deletes the edge; resolves with whether it existed. */
  async deleteGraphEdge(ref: EdgeRef): Promise<boolean> {
    requireObject(ref, 'deleteGraphEdge', '{ namespace, fromId, edgeType, toId }');
    return (
      await this.#rpc.unary(this.#s.GraphService.service.DeleteEdge, { namespace: ref.namespace, fromId: ref.fromId, edgeType: ref.edgeType, toId: ref.toId })
    ).deleted;
  }
  /** The node's edges (default: outgoing), outgoing before incoming, each sorted by type then the other id, as `GraphStore.getEdges`. */
  async getGraphEdges(query: EdgeQuery): Promise<GraphEdge[]> {
    return (await this.#rpc.unary(this.#s.GraphService.service.GetEdges, edgeQuery(query))).edges.map(graph.edgeFromWire);
  }
  /** The nodes joined to `query.nodeId` by an edge, each with that edge, as `GraphStore.neighbors`; rejects when the node does not exist. */
  async neighbors(query: EdgeQuery): Promise<GraphNeighbor[]> {
    return (await this.#rpc.unary(this.#s.GraphService.service.Neighbors, edgeQuery(query))).neighbors.map(graph.neighborFromWire);
  }
  /**
   * Every node within `maxDepth` hops of `startNode`, each once, the start node first at depth 0,
   * as `GraphStore.traverse`; the whole result arrives in one reply (mind `maxMessageBytes`).
   */
  async traverse(options: TraverseOptions): Promise<TraversalNode[]> {
    requireObject(options, 'traverse', '{ namespace, startNode, maxDepth? }');
    const request = {
      namespace: options.namespace,
      startNode: options.startNode,
      maxDepth: optionalWireInteger(options.maxDepth, 'maxDepth', UINT32),
      order: graph.orderToWire(options.order),
      edgeTypes: options.edgeTypes ? [...options.edgeTypes] : [],
      direction: graph.directionToWire(options.direction),
    };
    return (await this.#rpc.unary(this.#s.GraphService.service.Traverse, request)).nodes.map(graph.traversalNodeFromWire);
  }
  /** The shortest path from `from` to `to`, or null when there is none. */
  async shortestPath(options: ShortestPathOptions): Promise<GraphPath | null> {
    requireObject(options, 'shortestPath', '{ namespace, from, to }');
    const request = {
      namespace: options.namespace,
      from: options.from,
      to: options.to,
      maxDepth: optionalWireInteger(options.maxDepth, 'maxDepth', UINT32),
      edgeTypes: options.edgeTypes ? [...options.edgeTypes] : [],
      direction: graph.directionToWire(options.direction),
    };
    return graph.pathFromWire(await this.#rpc.unary(this.#s.GraphService.service.ShortestPath, request));
  }

  // ── Temporal graph ─────────────────────────────────────────────────────────────────────────
  /**
   * Adds a version of an edge valid over `[validFrom, validUntil)` (Unix ms; `validUntil` 0 or
   * absent: open-ended), as `TemporalGraph.addTemporalEdge`; TemporalOverlapError when it overlaps
   * another version of the same edge.
   */
  async addTemporalEdge(options: AddTemporalEdgeOptions): Promise<TemporalEdge> {
    requireObject(options, 'addTemporalEdge', '{ namespace, fromId, edgeType, toId, validFrom, validUntil? }');
    const request = {
      namespace: options.namespace,
      fromId: options.fromId,
      edgeType: options.edgeType,
      toId: options.toId,
      validFrom: wireInteger(options.validFrom, 'validFrom'),
      validUntil: options.validUntil === undefined ? 0 : wireInteger(options.validUntil, 'validUntil'),
      propertiesJson: toJsonText(options.properties, 'properties'),
    };
    return graph.temporalEdgeFromWire(await this.#rpc.unary(this.#s.GraphService.service.AddTemporalEdge, request));
  }
  /**
   * Closes the edge's open version at `at` and resolves with it closed, as
   * `TemporalGraph.endTemporalEdge`. Without `at`, "now" is the server's clock, not this process's.
   */
  async endTemporalEdge(options: EndTemporalEdgeOptions): Promise<TemporalEdge> {
    requireObject(options, 'endTemporalEdge', '{ namespace, fromId, edgeType, toId, at? }');
    const { namespace, fromId, edgeType, toId } = options;
    const request = { namespace, fromId, edgeType, toId, at: optionalWireInteger(options.at, 'at') };
    return graph.temporalEdgeFromWire(await this.#rpc.unary(this.#s.GraphService.service.EndTemporalEdge, request));
  }
  /**
   * The edge versions of `query.node` that match its mode: valid at one instant, during a window,
   * or now. Times are Unix ms.
   *
   * @example
   * ```ts
   * const then = await client.queryTemporalGraph({ namespace: 'org', node: 'alice', edgeType: 'works_at', mode: 'point_in_time', timestamp: Date.parse('2024-01-01') });
   * const during = await client.queryTemporalGraph({ namespace: 'org', node: 'alice', mode: 'range', startTime: Date.parse('2023-01-01'), endTime: Date.now() });
   * ```
   */
  async queryTemporalGraph(query: TemporalQuery): Promise<TemporalEdge[]> {
    const request = graph.temporalQueryToWire(query);
    if (query.mode === 'point_in_time') wireInteger(query.timestamp, 'timestamp');
    if (query.mode === 'range') {
      wireInteger(query.startTime, 'startTime');
      wireInteger(query.endTime, 'endTime');
    }
    return (await this.#rpc.unary(this.#s.GraphService.service.QueryTemporalGraph, request)).edges.map(graph.temporalEdgeFromWire);
  }

  // ── SQL ────────────────────────────────────────────────────────────────────────────────────
  /**
   * Runs one SQL statement on the server. Values come back as the embedded engine returns them
   * (integers as numbers when exact, bigint beyond 2^53; blobs as Buffers): they travel typed, not as JSON.
   *
   * @example
   * ```ts
   * const { rows } = await client.executeSql('SELECT id, body FROM notes WHERE id > ?', [10]); // [{ id: 11, body: '…' }, …]
   * const tuples = await client.executeSql('SELECT id, body FROM notes', undefined, { rowMode: 'array' }); // rows: [[11, '…'], …]
   * ```
   */
  executeSql(sql: string, params: SqlParams | undefined, options: { readonly rowMode: 'array' }): Promise<SqlResult<OutputValue[]>>;
  executeSql(sql: string, params?: SqlParams, options?: { readonly rowMode?: 'object' }): Promise<SqlResult<SqlRow>>;
  async executeSql(
    sql: string,
    params?: SqlParams,
    options: { readonly rowMode?: 'object' | 'array' } = {},
  ): Promise<SqlResult<SqlRow> | SqlResult<OutputValue[]>> {
    const reply = await this.#rpc.unary(this.#s.SqlService.service.Execute, sqlRequestToWire(sql, params));
    return options.rowMode === 'array' ? sqlResultFromWire(reply, 'array') : sqlResultFromWire(reply);
  }

  // ── Queues (QueueClient: what PriorityQueue.fromClient drives) ─────────────────────────────
  /**
   * The server's durable queue `name`, with the whole PriorityQueue API.
   *
   * @example
   * ```ts
   * const emails = client.queue('emails');
   * await emails.enqueue({ priority: 1, payload: JSON.stringify({ to: 'ada@example.com' }) });
   * const task = await emails.dequeue({ workerId: 'worker-1', visibilityTimeoutMs: 30_000 });
   * if (task) {
   *   // ack/nack with the task itself: its claimToken refuses a stale worker once the lease expired and another claimed it.
   *   await sendEmail(task.payload.toString()).then(
   *     () => emails.ack(task),
   *     () => emails.nack(task, { delayMs: 5000 }), // retried in 5 s (dead-lettered when out of attempts)
   *   );
   * }
   * ```
   */
  queue(name: string): PriorityQueue {
    return PriorityQueue.fromClient(this, name);
  }
  /**
   * QueueClient: enqueues `tasks` atomically in queue `name`; resolves with their ids in order.
   * Use `queue(name).enqueue` instead, which validates the input first.
   */
  async queueEnqueue(name: string, tasks: readonly EnqueueInput[]): Promise<string[]> {
    const request = { queue: name, tasks: tasks.map((t, i) => queue.taskInputToWire(t, `tasks[${i}]`)) };
    return (await this.#rpc.unary(this.#s.QueueService.service.Enqueue, request)).taskIds;
  }
  /**
   * QueueClient: claims the next visible task for `options.workerId`, or null when none is
   * visible; with `options.waitMs`, the server waits up to that long for one (at most
   * `grpcWire.MAX_DEQUEUE_WAIT_MS` in one call). `queue(name).dequeue` wraps it.
   */
  async queueDequeue(name: string, options: RemoteDequeueOptions): Promise<Task | null> {
    return (await this.queueDequeueWaiting(name, options)).task;
  }
  /**
   * QueueClient: one Dequeue call that waits on the server up to `options.waitMs` (capped at
   * `grpcWire.MAX_DEQUEUE_WAIT_MS`), and the wait the server applied (undefined from a server
   * that does not wait). When `options.signal` aborts, the call is cancelled and resolves with
   * task null. `queue(name).dequeue({ waitMs })` drives it.
   */
  async queueDequeueWaiting(
    name: string,
    options: RemoteDequeueOptions,
  ): Promise<{
    /** The claimed task, or null when none became visible within the wait. */
    readonly task: Task | null;
    /** The wait the server applied; undefined from a server older than waiting dequeues (it answered at once). */
    readonly waitedMs: number | undefined;
  }> {
    const waitMs = options.waitMs === undefined ? 0 : Math.min(wireInteger(options.waitMs, 'waitMs', { min: 0 }), queue.MAX_DEQUEUE_WAIT_MS);
    const request = {
      queue: name,
      workerId: options.workerId,
      visibilityTimeoutMs: optionalWireInteger(options.visibilityTimeoutMs, 'visibilityTimeoutMs', { min: 0 }),
      ...(waitMs > 0 ? { waitMs } : {}),
    };
    const { signal } = options;
    const cancelled = (): boolean => signal?.aborted === true;
    if (cancelled()) return { task: null, waitedMs: undefined };
    let reply;
    try {
      reply = await this.#rpc.unary(this.#s.QueueService.service.Dequeue, request, waitMs > 0 ? { waitMs, ...(signal ? { signal } : {}) } : {});
    } catch (error) {
      // Our own cancel, not a failure. (A task the server claimed just as the call was cancelled
      // is lost with the reply, until its lease ends and it is visible again.)
      if (cancelled()) return { task: null, waitedMs: undefined };
      throw error;
    }
    return { task: reply.found && reply.task !== null ? queue.claimedTaskFromWire(reply.task) : null, waitedMs: reply.waitMs };
  }
  /** QueueClient: finishes a claimed task; false when already finished or the claim was lost (`queue(name).ack`). */
  async queueAck(name: string, claim: ClaimRef): Promise<boolean> {
    return (await this.#rpc.unary(this.#s.QueueService.service.Ack, { queue: name, taskId: claim.taskId, claimToken: claim.claimToken ?? '' })).ok;
  }
  /** QueueClient: returns a claimed task for retry (or dead-letters it when out of attempts); false when the claim was lost (`queue(name).nack`). */
  async queueNack(name: string, claim: ClaimRef, options: RemoteNackOptions): Promise<boolean> {
    const request = {
      queue: name,
      taskId: claim.taskId,
      claimToken: claim.claimToken ?? '',
      delayMs: optionalWireInteger(options.delayMs, 'delayMs', { min: 0 }),
      priority: optionalWireInteger(options.priority, 'priority'),
    };
    return (await this.#rpc.unary(this.#s.QueueService.service.Nack, request)).ok;
  }
  async queueExtendVisibility(name: string, claim: ClaimRef, ms: number): Promise<number> {
    const request = { queue: name, taskId: claim.taskId, claimToken: claim.claimToken ?? '', ms: wireInteger(ms, 'ms', { min: 0 }) };
    return (await this.#rpc.unary(this.#s.QueueService.service.ExtendVisibility, request)).leaseExpiresAt;
  }
  /** QueueClient: the queue's task counts by state (`queue(name).stats`). */
  async queueStats(name: string): Promise<QueueStats> {
    return queue.statsFromWire(await this.#rpc.unary(this.#s.QueueService.service.Stats, { queue: name }));
  }
  /** QueueClient: the next `k` visible tasks in dequeue order, without claiming them (`queue(name).topK`). */
  async queueTopK(name: string, k: number): Promise<TaskView[]> {
    return (await this.#rpc.unary(this.#s.QueueService.service.TopK, { queue: name, k: wireInteger(k, 'k', UINT32) })).tasks.map(queue.taskViewFromWire);
  }
  /** QueueClient: any task still in the queue (pending, delayed, claimed or dead), or null (`queue(name).getTask`). */
  async queueGetTask(name: string, taskId: string): Promise<TaskView | null> {
    const reply = await this.#rpc.unary(this.#s.QueueService.service.GetTask, { queue: name, taskId });
    return reply.found && reply.task !== null ? queue.taskViewFromWire(reply.task) : null;
  }
  /** QueueClient: removes one task (a claimed one only with `includeClaimed`); its view, or null (`queue(name).remove`). */
  async queueRemove(name: string, taskId: string, options: { readonly includeClaimed?: boolean }): Promise<TaskView | null> {
    const reply = await this.#rpc.unary(this.#s.QueueService.service.Remove, { queue: name, taskId, includeClaimed: options.includeClaimed === true });
    return reply.found && reply.task !== null ? queue.taskViewFromWire(reply.task) : null;
  }
  /** QueueClient: removes every task (claimed ones only with `includeClaimed`); resolves with how many (`queue(name).purge`). */
  async queuePurge(name: string, options: { readonly includeClaimed?: boolean }): Promise<number> {
    return (await this.#rpc.unary(this.#s.QueueService.service.Purge, { queue: name, includeClaimed: options.includeClaimed === true })).removed;
  }

  // ── Health and lifecycle ───────────────────────────────────────────────────────────────────
  /** Round-trip time of a health check, in ms; rejects with ConnectionError when the server is not serving. */
  async ping(): Promise<number> {
    const started = performance.now();
    const reply = await this.#rpc.unary(loadProtos().health.Health.service.Check, { service: '' });
    if (reply.status !== 'SERVING') throw new ConnectionError(`the server at ${this.address} reports ${reply.status}`);
    return performance.now() - started;
  }
  /** Closes the channel; later calls reject with ConnectionError. */
  close(): void {
    this.#rpc.close();
  }
  /** Closes the channel (`await using`): see {@link SochDBClient.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  #insert(target: CollectionTarget, documents: ReturnType<typeof vector.documentInputToWire>[]): Promise<string[]> {
    return this.#rpc
      .unary(this.#s.CollectionService.service.Insert, { namespace: target.namespace, collection: target.collection, documents })
      .then((r) => r.ids);
  }
}

function edgeQuery(query: EdgeQuery) {
  requireObject(query, 'edge query', '{ namespace, nodeId, direction?, edgeType? }');
  return { namespace: query.namespace, nodeId: query.nodeId, direction: graph.directionToWire(query.direction), edgeType: query.edgeType ?? '' };
}
