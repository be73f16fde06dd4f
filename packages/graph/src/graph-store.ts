import {
  asTransaction,
  checkRetries,
  deleteRange,
  keyRange,
  readWith,
  writeWith,
  type KeyValueReader,
  type KeyValueStore,
  type Storage,
  type WriteOp,
  ValidationError,
} from '@sochdb/core';
import { describeValue, isArray } from '@sochdb/core/internal';
import { GraphNodeNotFoundError } from './errors.js';
import { encodeNode, GraphView } from './graph-view.js';
import { serializeJson } from '@sochdb/core';
import { inKey, nodeKey, outKey } from './keys.js';
import { AdjacencyCache, type CacheLease } from './adjacency-cache.js';
import { breadthFirst, depthFirst, shortestPath } from './traversal.js';
import type {
  AddEdgeOptions,
  AddNodeOptions,
  EdgeQuery,
  EdgeRef,
  GraphEdge,
  GraphNeighbor,
  GraphNode,
  GraphPath,
  GraphTxnOptions,
  ShortestPathOptions,
  TraversalNode,
  TraverseOptions,
} from './types.js';
import type { JsonValue } from '@sochdb/core';
import { optionalName, requireDepth, requireDirection, requireName, requireNames, requireOptions, requireOrder } from './validate.js';

/** Options of `new GraphStore(storage, options)`. */
export interface GraphStoreOptions {
  /** How often a standalone write is retried after a TransactionConflictError (default 10). */
  readonly retries?: number;
  /**
   * How much the adjacency cache holds, in entries: a node record counts 1, one direction of a
   * node's adjacency 1 plus its edges (default 200,000; 0 turns the cache off). The cache keeps
   * node records and adjacency lists across calls, least recently used dropped first, and follows
   * every commit to the graph's keys — by this store, another object or another process — so
   * reads outside a transaction see every commit made before they were called. Reads inside a
   * transaction never use it.
   */
  readonly cacheSize?: number;
}

const DEFAULT_CACHE_SIZE = 200_000;

/**
 * A directed, labelled property graph stored in a SochDB `Storage`, partitioned by namespace.
 *
 * Every write either runs atomically on its own or, given `{ txn }`, joins the caller's
 * transaction. Every read runs on one consistent snapshot (or the caller's transaction, whose
 * own uncommitted writes it sees).
 *
 * @example
 * ```ts
 * const graph = new GraphStore(storage, { retries: 5 });
 * await graph.addNode({ namespace: 'social', nodeId: 'alice', nodeType: 'Person', properties: { name: 'Alice' } });
 * await graph.addNode({ namespace: 'social', nodeId: 'bob', nodeType: 'Person' });
 * await graph.addEdge({ namespace: 'social', fromId: 'alice', edgeType: 'FOLLOWS', toId: 'bob', properties: { since: 2021 } });
 * ```
 */
export class GraphStore {
  readonly #retries: number;
  readonly #cache: AdjacencyCache;

  constructor(
    private readonly storage: Storage,
    options: GraphStoreOptions = {},
  ) {
    this.#retries = checkRetries(options.retries);
    this.#cache = new AdjacencyCache(storage, requireCacheSize(options.cacheSize));
  }

  /**
   * Deletes every node and edge of `namespace` — in the caller's transaction, or in one commit —
   * and returns how many keys were removed. The SDK's `deleteNamespace` calls this.
   */
  async dropNamespace(namespace: string, opts: GraphTxnOptions = {}): Promise<number> {
    const range = keyRange(['g', requireName(namespace, 'namespace')]);
    return this.#write(opts, (store) => deleteRange(store, range));
  }

  /** Creates the node or replaces its type and properties. */
  async addNode(options: AddNodeOptions, opts: GraphTxnOptions = {}): Promise<GraphNode> {
    requireOptions(options, 'addNode');
    const { node, write } = nodeWrite(options);
    // One put is atomic on its own; no transaction needed.
    await (asTransaction(opts.txn) ?? this.storage).put(write.key, write.value);
    return node;
  }

  /**
   * Creates or replaces many nodes in one atomic write (or in the caller's transaction), each as
   * `addNode` would. Every item is checked before anything is written: a bad one throws
   * ValidationError naming it (e.g. `nodes[3].nodeId`) and nothing is written. An empty array
   * writes nothing. Resolves with what `addNode` resolves with, in order.
   *
   * @example
   * ```ts
   * await graph.addNodes([
   *   { namespace: 'social', nodeId: 'dave', nodeType: 'Person' },
   *   { namespace: 'social', nodeId: 'erin', nodeType: 'Person', properties: { name: 'Erin' } },
   * ]);
   * ```
   */
  async addNodes(nodes: readonly AddNodeOptions[], opts: GraphTxnOptions = {}): Promise<GraphNode[]> {
    const items = requireItems(nodes, 'nodes');
    const ops: WriteOp[] = [];
    const added = items.map((options, i): GraphNode => {
      requireItem(options, 'nodes', i);
      const at = `nodes[${i}]`;
      const { node, write } = nodeWrite(options, `${at}.`);
      ops.push(write);
      return node;
    });
    // One batch is atomic on its own; no transaction needed.
    if (ops.length > 0) await (asTransaction(opts.txn) ?? this.storage).batch(ops);
    return added;
  }

  /** The node, or null when the namespace has no node with that id. */
  async getNode(namespace: string, nodeId: string, opts: GraphTxnOptions = {}): Promise<GraphNode | null> {
    const ns = requireName(namespace, 'namespace');
    const id = requireName(nodeId, 'nodeId');
    return this.#read(opts, async (reader, lease) => (await new GraphView(reader, ns, 'out', undefined, lease).node(id)) ?? null);
  }

  /** Deletes the node and every edge into or out of it in one commit; false when it did not exist. */
  async deleteNode(namespace: string, nodeId: string, opts: GraphTxnOptions = {}): Promise<boolean> {
    const ns = requireName(namespace, 'namespace');
    const id = requireName(nodeId, 'nodeId');
    const deleted = await this.#write(opts, async (store) => {
      if ((await store.get(nodeKey(ns, id))) === undefined) return false;
      await store.batch([{ type: 'del', key: nodeKey(ns, id) }, ...(await this.#edgesOf(store, ns, id))]);
      return true;
    });
    // An edge to this node committed after the delete's snapshot and before its commit was not
    // seen by it (snapshot isolation: the two commits touch different keys). Once the delete has
    // committed no edge to the node can commit any more (an edge's commit depends on its nodes'
    // keys, see addEdge), so one more look finds every such edge. In a caller's transaction the
    // caller's commit comes later: there the edge would stay, skipped by traversals (see README).
    if (deleted && asTransaction(opts.txn) === undefined) {
      await this.#write({}, async (store) => {
        // Created again meanwhile: the edges are the new node's.
        if ((await store.get(nodeKey(ns, id))) !== undefined) return;
        const ops = await this.#edgesOf(store, ns, id);
        if (ops.length > 0) await store.batch(ops);
      });
    }
    return deleted;
  }

  /** Deletes of every edge into or out of node `id`, as `store` sees them. */
  async #edgesOf(store: KeyValueStore, ns: string, id: string): Promise<WriteOp[]> {
    const ops: WriteOp[] = [];
    for (const { edge } of await new GraphView(store, ns, 'both').steps(id)) ops.push(...edgeDeletes(ns, edge));
    return ops;
  }

  /**
   * Creates the edge `fromId -[edgeType]-> toId` or replaces its properties. Both nodes must exist.
   *
   * @example
   * ```ts
   * // Both writes and the edge commit together, or not at all.
   * await storage.transaction(async (txn) => {
   *   await graph.addNode({ namespace: 'social', nodeId: 'carol', nodeType: 'Person' }, { txn });
   *   await graph.addEdge({ namespace: 'social', fromId: 'carol', edgeType: 'FOLLOWS', toId: 'alice' }, { txn });
   * });
   * ```
   */
  async addEdge(options: AddEdgeOptions, opts: GraphTxnOptions = {}): Promise<GraphEdge> {
    requireOptions(options, 'addEdge');
    const { ns, fromId, edgeType, toId } = edgeRef(options);
    const properties = options.properties === undefined ? {} : options.properties;
    const json = serializeJson(properties, 'properties');
    await this.#write(opts, async (store) => {
      const keys = [nodeKey(ns, fromId), nodeKey(ns, toId)];
      const [from, to] = await store.getMany(keys);
      if (from === undefined) throw new GraphNodeNotFoundError(ns, fromId, 'fromId');
      if (to === undefined) throw new GraphNodeNotFoundError(ns, toId, 'toId');
      dependOnNodes(store, keys);
      await store.batch(edgeWrites(ns, fromId, edgeType, toId, json));
    });
    return { fromId, edgeType, toId, properties };
  }

  /**
   * Creates or replaces many edges in one atomic write (or in the caller's transaction), each as
   * `addEdge` would: the same keys and values, so the graph is the one `addEdge` calls in this
   * order build. Every item is checked before anything is written: a bad one throws
   * ValidationError naming it (e.g. `edges[3].fromId`), an edge whose node does not exist throws
   * GraphNodeNotFoundError, and then nothing is written. Nodes must exist before the call (add
   * them with `addNodes` first, or earlier in the same transaction). An empty array writes
   * nothing. Resolves with what `addEdge` resolves with, in order.
   *
   * @example
   * ```ts
   * // Bulk loading: nodes first, then edges in batches of about a thousand.
   * await graph.addNodes(['ann', 'ben', 'cat'].map((nodeId) => ({ namespace: 'social', nodeId, nodeType: 'Person' })));
   * await graph.addEdges([
   *   { namespace: 'social', fromId: 'ann', edgeType: 'FOLLOWS', toId: 'ben' },
   *   { namespace: 'social', fromId: 'ben', edgeType: 'FOLLOWS', toId: 'cat', properties: { since: 2024 } },
   * ]);
   * ```
   */
  async addEdges(edges: readonly AddEdgeOptions[], opts: GraphTxnOptions = {}): Promise<GraphEdge[]> {
    const items = requireItems(edges, 'edges');
    const checked: CheckedEdge[] = [];
    for (let i = 0; i < items.length; i++) checked.push(checkedEdge(items[i], i));
    if (checked.length === 0) return [];
    await this.#write(opts, async (store) => {
      // Each distinct node once, in one read; the edges' keys are encoded while LevelDB reads them.
      const nodeKeys = new Map<string, Buffer>();
      for (const { ns, fromId, toId, fromNode, toNode } of checked) {
        if (!nodeKeys.has(fromNode)) nodeKeys.set(fromNode, nodeKey(ns, fromId));
        if (!nodeKeys.has(toNode)) nodeKeys.set(toNode, nodeKey(ns, toId));
      }
      const reading = store.getMany([...nodeKeys.values()]);
      // Marked handled now: it is awaited only after the encoding below, which may throw first.
      reading.catch(() => undefined);
      const ops: WriteOp[] = [];
      for (const { ns, fromId, edgeType, toId, json } of checked) for (const op of edgeWrites(ns, fromId, edgeType, toId, json)) ops.push(op);
      const values = await reading;
      const present = new Set<string>();
      let v = 0;
      for (const k of nodeKeys.keys()) if (values[v++] !== undefined) present.add(k);
      checked.forEach(({ ns, fromId, toId, fromNode, toNode }, i) => {
        if (!present.has(fromNode)) throw new GraphNodeNotFoundError(ns, fromId, `edges[${i}].fromId`);
        if (!present.has(toNode)) throw new GraphNodeNotFoundError(ns, toId, `edges[${i}].toId`);
      });
      dependOnNodes(store, nodeKeys.values());
      // The keys were just encoded and are never changed again: no need to copy them.
      await store.batch(ops, { copy: false });
    });
    return checked.map(({ fromId, edgeType, toId, properties }) => ({ fromId, edgeType, toId, properties }));
  }

  /** The edge with its properties, or null when there is no such edge (whether or not its nodes exist). */
  async getEdge(options: EdgeRef, opts: GraphTxnOptions = {}): Promise<GraphEdge | null> {
    requireOptions(options, 'getEdge');
    const { ns, fromId, edgeType, toId } = edgeRef(options);
    const value = await this.#read(opts, (reader) => reader.get(outKey(ns, fromId, edgeType, toId)));
    return value === undefined ? null : { fromId, edgeType, toId, properties: JSON.parse(value.toString('utf8')) as JsonValue };
  }

  /** False when there was no such edge. */
  async deleteEdge(options: EdgeRef, opts: GraphTxnOptions = {}): Promise<boolean> {
    requireOptions(options, 'deleteEdge');
    const { ns, fromId, edgeType, toId } = edgeRef(options);
    return this.#write(opts, async (store) => {
      if ((await store.get(outKey(ns, fromId, edgeType, toId))) === undefined) return false;
      await store.batch(edgeDeletes(ns, { fromId, edgeType, toId }));
      return true;
    });
  }

  /** The node's edges (default: outgoing), outgoing before incoming, each sorted by type then the other id. */
  async getEdges(query: EdgeQuery, opts: GraphTxnOptions = {}): Promise<GraphEdge[]> {
    const { nodeId, view } = this.#edgeQuery(query, 'getEdges');
    return this.#read(opts, async (reader, lease) => {
      const v = view(reader, lease);
      try {
        return (await v.steps(nodeId)).map((s) => s.edge);
      } finally {
        await v.settle();
      }
    });
  }

  /**
   * The nodes joined to `nodeId` by an edge, with that edge; throws when `nodeId` does not exist.
   *
   * @example
   * ```ts
   * // Who follows Alice: incoming FOLLOWS edges, each with the node at its other end.
   * for (const { node, edge } of await graph.neighbors({ namespace: 'social', nodeId: 'alice', direction: 'in', edgeType: 'FOLLOWS' })) {
   *   console.log(node.id, edge.properties);
   * }
   * ```
   */
  async neighbors(query: EdgeQuery, opts: GraphTxnOptions = {}): Promise<GraphNeighbor[]> {
    const { ns, nodeId, view: makeView } = this.#edgeQuery(query, 'neighbors');
    return this.#read(opts, async (reader, lease) => {
      const view = makeView(reader, lease);
      view.prefetch(nodeId);
      try {
        await requireNode(view, ns, nodeId, 'nodeId');
        const steps = await view.steps(nodeId);
        const nodes = await view.nodes(steps.map((s) => s.otherId));
        const out: GraphNeighbor[] = [];
        steps.forEach((s, i) => {
          const node = nodes[i];
          if (node !== undefined) out.push({ node, edge: s.edge, direction: s.direction });
        });
        return out;
      } finally {
        await view.settle();
      }
    });
  }

  /**
   * Every node within `maxDepth` hops of `startNode`, each once, starting with it at depth 0.
   * BFS lists them level by level; DFS in depth-first preorder. Either way `depth` is the hop
   * distance and `via` the edge that reached the node.
   *
   * @example
   * ```ts
   * // Friends of friends: everyone within two FOLLOWS hops of Alice, nearest first.
   * const reached = await graph.traverse({ namespace: 'social', startNode: 'alice', maxDepth: 2, edgeTypes: ['FOLLOWS'] });
   * const friendsOfFriends = reached.filter((n) => n.depth === 2).map((n) => n.id);
   * ```
   */
  async traverse(options: TraverseOptions, opts: GraphTxnOptions = {}): Promise<TraversalNode[]> {
    requireOptions(options, 'traverse');
    const ns = requireName(options.namespace, 'namespace');
    const startId = requireName(options.startNode, 'startNode');
    const maxDepth = requireDepth(options.maxDepth, 3);
    const order = requireOrder(options.order);
    const direction = requireDirection(options.direction, 'out');
    const edgeTypes = requireNames(options.edgeTypes, 'edgeTypes');
    return this.#read(opts, async (reader, lease) => {
      const view = new GraphView(reader, ns, direction, edgeTypes, lease);
      if (maxDepth > 0) view.prefetch(startId);
      try {
        const start = await requireNode(view, ns, startId, 'startNode');
        return await (order === 'bfs' ? breadthFirst(view, start, maxDepth) : depthFirst(view, start, maxDepth));
      } finally {
        await view.settle();
      }
    });
  }

  /**
   * A path with the fewest hops from `from` to `to`, or null when none exists within `maxDepth` (default unbounded).
   *
   * @example
   * ```ts
   * const path = await graph.shortestPath({ namespace: 'social', from: 'alice', to: 'dave', direction: 'both', maxDepth: 6 });
   * if (path !== null) console.log(path.nodes.map((n) => n.id).join(' → '), `(${path.edges.length} hops)`);
   * ```
   */
  async shortestPath(options: ShortestPathOptions, opts: GraphTxnOptions = {}): Promise<GraphPath | null> {
    requireOptions(options, 'shortestPath');
    const ns = requireName(options.namespace, 'namespace');
    const fromId = requireName(options.from, 'from');
    const toId = requireName(options.to, 'to');
    const maxDepth = requireDepth(options.maxDepth, Infinity);
    const direction = requireDirection(options.direction, 'out');
    const edgeTypes = requireNames(options.edgeTypes, 'edgeTypes');
    return this.#read(opts, async (reader, lease) => {
      const view = new GraphView(reader, ns, direction, edgeTypes, lease);
      const reversed = new GraphView(reader, ns, direction === 'out' ? 'in' : direction === 'in' ? 'out' : 'both', edgeTypes, lease);
      const [from, to] = await Promise.all([requireNode(view, ns, fromId, 'from'), requireNode(view, ns, toId, 'to')]);
      return shortestPath(view, reversed, from, to, maxDepth);
    });
  }

  #edgeQuery(query: EdgeQuery, what: string): { ns: string; nodeId: string; view: (reader: KeyValueReader, lease?: CacheLease) => GraphView } {
    requireOptions(query, what);
    const ns = requireName(query.namespace, 'namespace');
    const nodeId = requireName(query.nodeId, 'nodeId');
    const direction = requireDirection(query.direction, 'out');
    const edgeType = optionalName(query.edgeType, 'edgeType');
    return { ns, nodeId, view: (reader, lease) => new GraphView(reader, ns, direction, edgeType === undefined ? undefined : [edgeType], lease) };
  }

  #write<T>(opts: GraphTxnOptions, fn: (store: KeyValueStore) => Promise<T>): Promise<T> {
    return writeWith(this.storage, opts.txn, this.#retries, fn);
  }

  /**
   * Inside a transaction: reads it (its snapshot and its own writes), never the cache. Outside:
   * one snapshot, with the cache when it is valid at that snapshot.
   */
  async #read<T>(opts: GraphTxnOptions, fn: (reader: KeyValueReader, lease?: CacheLease) => Promise<T>): Promise<T> {
    if (asTransaction(opts.txn) !== undefined) return readWith(this.storage, opts.txn, (reader) => fn(reader));
    const leased = await this.#cache.lease();
    if (leased === undefined) return readWith(this.storage, undefined, (reader) => fn(reader));
    try {
      return await fn(leased.snapshot, leased.lease);
    } finally {
      await leased.snapshot.close();
    }
  }
}

/** A node's checked fields and the one put that stores it (`at` prefixes the error's field). */
function nodeWrite(options: AddNodeOptions, at = ''): { node: GraphNode; write: Extract<WriteOp, { type: 'put' }> } {
  const ns = requireName(options.namespace, `${at}namespace`);
  const id = requireName(options.nodeId, `${at}nodeId`);
  const type = requireName(options.nodeType, `${at}nodeType`);
  const properties = options.properties === undefined ? {} : options.properties;
  const value = encodeNode(type, serializeJson(properties, `${at}properties`));
  return { node: { id, type, properties }, write: { type: 'put', key: nodeKey(ns, id), value } };
}

/** An edge's two entries: under its source (outgoing) and under its target (incoming). */
function edgeWrites(ns: string, fromId: string, edgeType: string, toId: string, json: string): WriteOp[] {
  return [
    { type: 'put', key: outKey(ns, fromId, edgeType, toId), value: json },
    { type: 'put', key: inKey(ns, toId, edgeType, fromId), value: json },
  ];
}

/**
 * Makes the edge's commit conflict with a delete of one of its nodes committed since its snapshot
 * (where the storage tracks read dependencies: every SochDB storage does): without it, both would
 * commit (they write different keys) and leave an edge to a node that no longer exists. Edges
 * added to one node concurrently do not conflict with each other (nothing is written to the node).
 */
function dependOnNodes(store: KeyValueStore, keys: Iterable<Buffer>): void {
  const dependOn = (store as KeyValueStore & { readonly dependOn?: (key: Buffer) => void }).dependOn;
  if (dependOn !== undefined) for (const key of keys) dependOn(key);
}

/** An edge of `addEdges`, checked, with its properties' JSON and its two nodes' identities. */
interface CheckedEdge {
  readonly ns: string;
  readonly fromId: string;
  readonly edgeType: string;
  readonly toId: string;
  readonly properties: JsonValue;
  readonly json: string;
  /** Distinct per namespace and node id (the namespace's length first, so no two pairs collide). */
  readonly fromNode: string;
  readonly toNode: string;
}

const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * `edges[i]` checked as `addEdge` checks its options. The field labels of an error (`edges[3].toId`)
 * are only built when there is one: a bulk load checks a million edges that are fine.
 */
function checkedEdge(item: unknown, i: number): CheckedEdge {
  requireItem(item, 'edges', i);
  const options = item as AddEdgeOptions;
  const { namespace: ns, fromId, edgeType, toId } = options;
  if (!isName(ns) || !isName(fromId) || !isName(edgeType) || !isName(toId)) edgeRef(options, `edges[${i}].`); // throws, naming the field
  const given = options.properties;
  const properties = given === undefined ? {} : given;
  const json = given === undefined ? '{}' : serializeJson(given, `edges[${i}].properties`);
  const scope = `${ns.length}:${ns}`;
  return { ns, fromId, edgeType, toId, properties, json, fromNode: scope + fromId, toNode: scope + toId };
}

function edgeRef(ref: EdgeRef, at = ''): { ns: string; fromId: string; edgeType: string; toId: string } {
  return {
    ns: requireName(ref.namespace, `${at}namespace`),
    fromId: requireName(ref.fromId, `${at}fromId`),
    edgeType: requireName(ref.edgeType, `${at}edgeType`),
    toId: requireName(ref.toId, `${at}toId`),
  };
}

function requireItems<T>(items: readonly T[], field: string): readonly T[] {
  if (!isArray(items)) throw new ValidationError(`${field} must be an array, got ${describeValue(items)}`, { field });
  return items;
}

/** `items[i]` of the array named `field` must be an options object. */
function requireItem(item: unknown, field: string, i: number): void {
  if (typeof item === 'object' && item !== null) return;
  const at = `${field}[${i}]`;
  throw new ValidationError(`${at} must be an options object, got ${describeValue(item)}`, { field: at });
}

function edgeDeletes(ns: string, edge: Omit<GraphEdge, 'properties'>): WriteOp[] {
  return [
    { type: 'del', key: outKey(ns, edge.fromId, edge.edgeType, edge.toId) },
    { type: 'del', key: inKey(ns, edge.toId, edge.edgeType, edge.fromId) },
  ];
}

async function requireNode(view: GraphView, ns: string, id: string, role: string): Promise<GraphNode> {
  const node = await view.node(id);
  if (node === undefined) throw new GraphNodeNotFoundError(ns, id, role);
  return node;
}

function requireCacheSize(value: unknown): number {
  if (value === undefined) return DEFAULT_CACHE_SIZE;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new ValidationError(`cacheSize must be a non-negative integer, got ${describeValue(value)}`, { field: 'cacheSize' });
}
