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
} from '@sochdb/core';
import { GraphNodeNotFoundError } from './errors.js';
import { decodeNode, encodeNode, GraphView } from './graph-view.js';
import { serializeJson } from '@sochdb/core';
import { inKey, nodeKey, outKey } from './keys.js';
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
}

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

  constructor(
    private readonly storage: Storage,
    options: GraphStoreOptions = {},
  ) {
    this.#retries = checkRetries(options.retries);
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
    const ns = requireName(options.namespace, 'namespace');
    const id = requireName(options.nodeId, 'nodeId');
    const type = requireName(options.nodeType, 'nodeType');
    const properties = options.properties === undefined ? {} : options.properties;
    const json = serializeJson(properties, 'properties');
    // One put is atomic on its own; no transaction needed.
    await (asTransaction(opts.txn) ?? this.storage).put(nodeKey(ns, id), encodeNode(type, json));
    return { id, type, properties };
  }

  /** The node, or null when the namespace has no node with that id. */
  async getNode(namespace: string, nodeId: string, opts: GraphTxnOptions = {}): Promise<GraphNode | null> {
    const ns = requireName(namespace, 'namespace');
    const id = requireName(nodeId, 'nodeId');
    return this.#read(opts, async (reader) => decodeNode(id, await reader.get(nodeKey(ns, id))) ?? null);
  }

  /** Deletes the node and every edge into or out of it in one commit; false when it did not exist. */
  async deleteNode(namespace: string, nodeId: string, opts: GraphTxnOptions = {}): Promise<boolean> {
    const ns = requireName(namespace, 'namespace');
    const id = requireName(nodeId, 'nodeId');
    return this.#write(opts, async (store) => {
      if ((await store.get(nodeKey(ns, id))) === undefined) return false;
      const steps = await new GraphView(store, ns, 'both').steps(id);
      const ops: WriteOp[] = [{ type: 'del', key: nodeKey(ns, id) }];
      for (const { edge } of steps) ops.push(...edgeDeletes(ns, edge));
      await store.batch(ops);
      return true;
    });
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
      const [from, to] = await store.getMany([nodeKey(ns, fromId), nodeKey(ns, toId)]);
      if (from === undefined) throw new GraphNodeNotFoundError(ns, fromId, 'fromId');
      if (to === undefined) throw new GraphNodeNotFoundError(ns, toId, 'toId');
      await store.batch([
        { type: 'put', key: outKey(ns, fromId, edgeType, toId), value: json },
        { type: 'put', key: inKey(ns, toId, edgeType, fromId), value: json },
      ]);
    });
    return { fromId, edgeType, toId, properties };
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
    return this.#read(opts, async (reader) => (await view(reader).steps(nodeId)).map((s) => s.edge));
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
    return this.#read(opts, async (reader) => {
      const view = makeView(reader);
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
    return this.#read(opts, async (reader) => {
      const view = new GraphView(reader, ns, direction, edgeTypes);
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
    return this.#read(opts, async (reader) => {
      const view = new GraphView(reader, ns, direction, edgeTypes);
      const reversed = new GraphView(reader, ns, direction === 'out' ? 'in' : direction === 'in' ? 'out' : 'both', edgeTypes);
      const [from, to] = await Promise.all([requireNode(view, ns, fromId, 'from'), requireNode(view, ns, toId, 'to')]);
      return shortestPath(view, reversed, from, to, maxDepth);
    });
  }

  #edgeQuery(query: EdgeQuery, what: string): { ns: string; nodeId: string; view: (reader: KeyValueReader) => GraphView } {
    requireOptions(query, what);
    const ns = requireName(query.namespace, 'namespace');
    const nodeId = requireName(query.nodeId, 'nodeId');
    const direction = requireDirection(query.direction, 'out');
    const edgeType = optionalName(query.edgeType, 'edgeType');
    return { ns, nodeId, view: (reader) => new GraphView(reader, ns, direction, edgeType === undefined ? undefined : [edgeType]) };
  }

  #write<T>(opts: GraphTxnOptions, fn: (store: KeyValueStore) => Promise<T>): Promise<T> {
    return writeWith(this.storage, opts.txn, this.#retries, fn);
  }

  #read<T>(opts: GraphTxnOptions, fn: (reader: KeyValueReader) => Promise<T>): Promise<T> {
    return readWith(this.storage, opts.txn, fn);
  }
}

function edgeRef(ref: EdgeRef): { ns: string; fromId: string; edgeType: string; toId: string } {
  return {
    ns: requireName(ref.namespace, 'namespace'),
    fromId: requireName(ref.fromId, 'fromId'),
    edgeType: requireName(ref.edgeType, 'edgeType'),
    toId: requireName(ref.toId, 'toId'),
  };
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
