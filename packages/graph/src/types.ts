import type { TransactionLike } from '@sochdb/core';
import type { JsonValue } from '@sochdb/core';

/**
 * Which edges of a node to follow: `out` those leaving it, `in` those arriving at it, `both`
 * either (a neighbor joined both ways is then listed once per edge).
 */
export type GraphDirection = 'out' | 'in' | 'both';
/** `bfs` lists nodes level by level (nearest first); `dfs` in depth-first preorder. */
export type TraversalOrder = 'bfs' | 'dfs';

/** A node as stored: unique by `id` within its namespace. */
export interface GraphNode {
  /** Unique within the namespace; adding a node with the same id replaces it. */
  readonly id: string;
  /** The label given as `nodeType` when it was added; not used by any query. */
  readonly type: string;
  /** Stored as JSON; `{}` when the node was added without properties. */
  readonly properties: JsonValue;
}

/** An edge is identified by `(fromId, edgeType, toId)`; adding it again replaces its properties. */
export interface GraphEdge {
  /** Id of the node the edge leaves. */
  readonly fromId: string;
  /** The edge's label, e.g. `FOLLOWS`; what `edgeTypes` filters on. */
  readonly edgeType: string;
  /** Id of the node the edge points to. */
  readonly toId: string;
  /** Stored as JSON; `{}` when the edge was added without properties. */
  readonly properties: JsonValue;
}

/** A node next to another one, with the edge that joins them and which way that edge points. */
export interface GraphNeighbor {
  /** The node at the other end of `edge`. */
  readonly node: GraphNode;
  /** The edge joining the queried node and `node`, with its properties. */
  readonly edge: GraphEdge;
  /** `out` when `edge` leaves the queried node, `in` when it arrives at it. */
  readonly direction: 'out' | 'in';
}

/** A node reached by a traversal: `depth` is its hop distance from the start; `via` the edge followed (null for the start). */
export interface TraversalNode extends GraphNode {
  /** Hops from the start node (0 for the start itself). */
  readonly depth: number;
  /** The edge followed to reach this node; null for the start node. */
  readonly via: GraphEdge | null;
}

/** The nodes of a shortest path from `from` to `to` in order, and the edges between them. */
export interface GraphPath {
  /** From `from` to `to` inclusive; a single node when `from` and `to` are the same. */
  readonly nodes: readonly GraphNode[];
  /** `edges[i]` joins `nodes[i]` and `nodes[i + 1]`; one fewer than `nodes`. */
  readonly edges: readonly GraphEdge[];
}

/** Run the operation inside a caller's transaction instead of on its own. */
export interface GraphTxnOptions {
  /**
   * A core Transaction or the SDK's DatabaseTransaction: reads see its uncommitted writes, writes
   * commit or abort with it (and are not retried). Omitted: the operation runs on its own.
   */
  readonly txn?: TransactionLike;
}

/** The node `GraphStore.addNode` creates or replaces. */
export interface AddNodeOptions {
  /** The graph partition; nodes and edges of different namespaces never see each other. */
  readonly namespace: string;
  /** Non-empty; an existing node with this id is replaced (its edges are kept). */
  readonly nodeId: string;
  /** Non-empty label, returned as `GraphNode.type`. */
  readonly nodeType: string;
  /** Any JSON value; default `{}`. Throws ValidationError when it is not JSON-serializable. */
  readonly properties?: JsonValue;
}

/** Names one edge: `(fromId, edgeType, toId)` within a namespace; each part a non-empty string. */
export interface EdgeRef {
  /** The graph partition; nodes and edges of different namespaces never see each other. */
  readonly namespace: string;
  /** Id of the node the edge leaves. */
  readonly fromId: string;
  /** The edge's label; two nodes may be joined by edges of several types. */
  readonly edgeType: string;
  /** Id of the node the edge points to. */
  readonly toId: string;
}

/** The edge `GraphStore.addEdge` creates or replaces; both nodes must already exist. */
export interface AddEdgeOptions extends EdgeRef {
  /** Any JSON value; default `{}`. Replaces the properties of an existing edge. */
  readonly properties?: JsonValue;
}

/** Which edges of one node `getEdges` and `neighbors` return. */
export interface EdgeQuery {
  /** The graph partition; nodes and edges of different namespaces never see each other. */
  readonly namespace: string;
  /** The node whose edges are listed. */
  readonly nodeId: string;
  /** Default 'out'. */
  readonly direction?: GraphDirection;
  /** Only edges of this type; all types when omitted. */
  readonly edgeType?: string;
}

/** Where `GraphStore.traverse` starts, how far it goes and which edges it follows. */
export interface TraverseOptions {
  /** The graph partition; nodes and edges of different namespaces never see each other. */
  readonly namespace: string;
  /** Id of the first node (depth 0); GraphNodeNotFoundError when it does not exist. */
  readonly startNode: string;
  /** Hops from the start, default 3; 0 returns only the start node. */
  readonly maxDepth?: number;
  /** Default 'bfs'. */
  readonly order?: TraversalOrder;
  /** Follow only these edge types (all when omitted). */
  readonly edgeTypes?: readonly string[];
  /** Default 'out'. */
  readonly direction?: GraphDirection;
}

/** The two ends of `GraphStore.shortestPath` and the edges it may use. */
export interface ShortestPathOptions {
  /** The graph partition; nodes and edges of different namespaces never see each other. */
  readonly namespace: string;
  /** Id of the first node of the path; GraphNodeNotFoundError when it does not exist. */
  readonly from: string;
  /** Id of the last node of the path; GraphNodeNotFoundError when it does not exist. */
  readonly to: string;
  /** Longest path considered, in hops; default unbounded. */
  readonly maxDepth?: number;
  /** Use only edges of these types (all when omitted). */
  readonly edgeTypes?: readonly string[];
  /** Default 'out'. */
  readonly direction?: GraphDirection;
}
