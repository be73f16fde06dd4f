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

/** Which collection a document call is about. */
export interface CollectionTarget {
  readonly namespace: string;
  readonly collection: string;
}

export interface VectorSearchOptions extends CollectionTarget {
  readonly query: VectorLike;
  /** Default 10. */
  readonly k?: number;
  readonly filter?: MetadataFilter;
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
 */
export class SochDBClient implements QueueClient, AsyncDisposable {
  readonly #rpc: GrpcTransport;
  readonly #s: SochDBServices;

  /** `address` is `host:port` (default `localhost:50051`). Connects lazily, on the first call. */
  constructor(address = 'localhost:50051', options: SochDBClientOptions = {}) {
    this.#rpc = new GrpcTransport(address, options);
    this.#s = loadProtos().sochdb;
  }

  get address(): string {
    return this.#rpc.address;
  }

  // ── Key-value (namespace '' = the database's root KV) ──────────────────────────────────────
  async putKv(namespace: string, key: BytesLike, value: BytesLike): Promise<void> {
    await this.#rpc.unary(this.#s.KvService.service.Put, { namespace, key: bytes(key, 'key'), value: bytes(value, 'value') });
  }
  /** The value, or null when the key is missing (an empty value is an empty Buffer). */
  async getKv(namespace: string, key: BytesLike): Promise<Buffer | null> {
    const reply = await this.#rpc.unary(this.#s.KvService.service.Get, { namespace, key: bytes(key, 'key') });
    return reply.found ? reply.value : null;
  }
  async deleteKv(namespace: string, key: BytesLike): Promise<void> {
    await this.#rpc.unary(this.#s.KvService.service.Delete, { namespace, key: bytes(key, 'key') });
  }
  /** Entries whose key starts with `prefix` (all when omitted), in key byte order. */
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
  getNamespace(name: string): Promise<NamespaceInfo> {
    return this.#rpc.unary(this.#s.NamespaceService.service.GetNamespace, { name });
  }
  async listNamespaces(): Promise<NamespaceInfo[]> {
    return (await this.#rpc.unary(this.#s.NamespaceService.service.ListNamespaces, {})).namespaces;
  }
  async deleteNamespace(name: string): Promise<void> {
    await this.#rpc.unary(this.#s.NamespaceService.service.DeleteNamespace, { name });
  }

  // ── Collections ────────────────────────────────────────────────────────────────────────────
  async createCollection(namespace: string, config: CollectionConfig): Promise<CollectionInfo> {
    return vector.collectionInfoFromWire(
      await this.#rpc.unary(this.#s.CollectionService.service.CreateCollection, vector.createCollectionToWire(namespace, config)),
    );
  }
  async getCollection(namespace: string, collection: string): Promise<CollectionInfo> {
    return vector.collectionInfoFromWire(await this.#rpc.unary(this.#s.CollectionService.service.GetCollection, { namespace, collection }));
  }
  async listCollections(namespace: string): Promise<CollectionInfo[]> {
    return (await this.#rpc.unary(this.#s.CollectionService.service.ListCollections, { namespace })).collections.map(vector.collectionInfoFromWire);
  }
  async deleteCollection(namespace: string, collection: string): Promise<void> {
    await this.#rpc.unary(this.#s.CollectionService.service.DeleteCollection, { namespace, collection });
  }
  /** Inserts (or replaces, by id) one document; resolves with its id. */
  async insert(doc: CollectionTarget & DocumentInput): Promise<string> {
    requireObject(doc, 'insert', '{ namespace, collection, vector, metadata?, id?, content? }');
    const [id] = await this.#insert(doc, [vector.documentInputToWire(doc)]);
    return id!;
  }
  /** Inserts documents atomically (all or none); resolves with their ids in order. */
  async insertBatch(batch: CollectionTarget & BatchInput): Promise<string[]> {
    if (batch === null || typeof batch !== 'object' || !Array.isArray(batch.vectors)) {
      throw new ValidationError('insertBatch needs { namespace, collection, vectors, metadatas?, ids?, contents? }', { field: 'vectors' });
    }
    // Entry i of each array is document i: a shorter or longer one would drop documents or pair
    // metadata with the wrong vector, so any mismatch is refused before anything is sent.
    for (const name of ['ids', 'metadatas', 'contents'] as const) {
      const array: unknown = batch[name];
      if (array === undefined) continue;
      if (!Array.isArray(array)) throw new ValidationError(`insertBatch's ${name} must be an array`, { field: name });
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
  async count(target: CollectionTarget): Promise<number> {
    requireObject(target, 'count', '{ namespace, collection }');
    return (await this.#rpc.unary(this.#s.CollectionService.service.Count, { namespace: target.namespace, collection: target.collection })).count;
  }
  /** Vector, keyword or hybrid search, as Collection.search. */
  async search(request: vector.RemoteSearchRequest): Promise<SearchResult[]> {
    return (await this.#rpc.unary(this.#s.CollectionService.service.Search, vector.searchToWire(request))).results.map(vector.hitFromWire);
  }
  /** The k nearest documents to `query` (score descending). */
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
  async addGraphNode(options: AddNodeOptions): Promise<GraphNode> {
    requireObject(options, 'addGraphNode', '{ namespace, nodeId, nodeType, properties? }');
    const { namespace, nodeId, nodeType, properties } = options;
    return graph.nodeFromWire(
      await this.#rpc.unary(this.#s.GraphService.service.AddNode, { namespace, nodeId, nodeType, propertiesJson: toJsonText(properties, 'properties') }),
    );
  }
  async getGraphNode(namespace: string, nodeId: string): Promise<GraphNode | null> {
    const reply = await this.#rpc.unary(this.#s.GraphService.service.GetNode, { namespace, nodeId });
    return reply.found && reply.node !== null ? graph.nodeFromWire(reply.node) : null;
  }
  /** Deletes the node and its edges; resolves with whether it existed. */
  async deleteGraphNode(namespace: string, nodeId: string): Promise<boolean> {
    return (await this.#rpc.unary(this.#s.GraphService.service.DeleteNode, { namespace, nodeId })).deleted;
  }
  async addGraphEdge(options: AddEdgeOptions): Promise<GraphEdge> {
    requireObject(options, 'addGraphEdge', '{ namespace, fromId, edgeType, toId, properties? }');
    const { namespace, fromId, edgeType, toId, properties } = options;
    return graph.edgeFromWire(
      await this.#rpc.unary(this.#s.GraphService.service.AddEdge, { namespace, fromId, edgeType, toId, propertiesJson: toJsonText(properties, 'properties') }),
    );
  }
  async deleteGraphEdge(ref: EdgeRef): Promise<boolean> {
    requireObject(ref, 'deleteGraphEdge', '{ namespace, fromId, edgeType, toId }');
    return (
      await this.#rpc.unary(this.#s.GraphService.service.DeleteEdge, { namespace: ref.namespace, fromId: ref.fromId, edgeType: ref.edgeType, toId: ref.toId })
    ).deleted;
  }
  async getGraphEdges(query: EdgeQuery): Promise<GraphEdge[]> {
    return (await this.#rpc.unary(this.#s.GraphService.service.GetEdges, edgeQuery(query))).edges.map(graph.edgeFromWire);
  }
  async neighbors(query: EdgeQuery): Promise<GraphNeighbor[]> {
    return (await this.#rpc.unary(this.#s.GraphService.service.Neighbors, edgeQuery(query))).neighbors.map(graph.neighborFromWire);
  }
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
  async endTemporalEdge(options: EndTemporalEdgeOptions): Promise<TemporalEdge> {
    requireObject(options, 'endTemporalEdge', '{ namespace, fromId, edgeType, toId, at? }');
    const { namespace, fromId, edgeType, toId } = options;
    const request = { namespace, fromId, edgeType, toId, at: optionalWireInteger(options.at, 'at') };
    return graph.temporalEdgeFromWire(await this.#rpc.unary(this.#s.GraphService.service.EndTemporalEdge, request));
  }
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
  /** The server's durable queue `name`, with the whole PriorityQueue API. */
  queue(name: string): PriorityQueue {
    return PriorityQueue.fromClient(this, name);
  }
  async queueEnqueue(name: string, tasks: readonly EnqueueInput[]): Promise<string[]> {
    const request = { queue: name, tasks: tasks.map((t, i) => queue.taskInputToWire(t, `tasks[${i}]`)) };
    return (await this.#rpc.unary(this.#s.QueueService.service.Enqueue, request)).taskIds;
  }
  async queueDequeue(name: string, options: RemoteDequeueOptions): Promise<Task | null> {
    const request = {
      queue: name,
      workerId: options.workerId,
      visibilityTimeoutMs: optionalWireInteger(options.visibilityTimeoutMs, 'visibilityTimeoutMs', { min: 0 }),
    };
    const reply = await this.#rpc.unary(this.#s.QueueService.service.Dequeue, request);
    return reply.found && reply.task !== null ? queue.claimedTaskFromWire(reply.task) : null;
  }
  async queueAck(name: string, claim: ClaimRef): Promise<boolean> {
    return (await this.#rpc.unary(this.#s.QueueService.service.Ack, { queue: name, taskId: claim.taskId, claimToken: claim.claimToken ?? '' })).ok;
  }
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
  async queueStats(name: string): Promise<QueueStats> {
    return queue.statsFromWire(await this.#rpc.unary(this.#s.QueueService.service.Stats, { queue: name }));
  }
  async queueTopK(name: string, k: number): Promise<TaskView[]> {
    return (await this.#rpc.unary(this.#s.QueueService.service.TopK, { queue: name, k: wireInteger(k, 'k', UINT32) })).tasks.map(queue.taskViewFromWire);
  }
  async queueGetTask(name: string, taskId: string): Promise<TaskView | null> {
    const reply = await this.#rpc.unary(this.#s.QueueService.service.GetTask, { queue: name, taskId });
    return reply.found && reply.task !== null ? queue.taskViewFromWire(reply.task) : null;
  }
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
