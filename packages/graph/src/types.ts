import type { TransactionLike } from '@sochdb/core';
import type { JsonValue } from '@sochdb/core';

export type GraphDirection = 'out' | 'in' | 'both';
export type TraversalOrder = 'bfs' | 'dfs';

export interface GraphNode {
  readonly id: string;
  readonly type: string;
  readonly properties: JsonValue;
}

/** An edge is identified by `(fromId, edgeType, toId)`; adding it again replaces its properties. */
export interface GraphEdge {
  readonly fromId: string;
  readonly edgeType: string;
  readonly toId: string;
  readonly properties: JsonValue;
}

/** A node next to another one, with the edge that joins them and which way that edge points. */
export interface GraphNeighbor {
  readonly node: GraphNode;
  readonly edge: GraphEdge;
  readonly direction: 'out' | 'in';
}

/** A node reached by a traversal: `depth` is its hop distance from the start; `via` the edge followed (null for the start). */
export interface TraversalNode extends GraphNode {
  readonly depth: number;
  readonly via: GraphEdge | null;
}

/** The nodes of a shortest path from `from` to `to` in order, and the edges between them. */
export interface GraphPath {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Run the operation inside a caller's transaction instead of on its own. */
export interface GraphTxnOptions {
  readonly txn?: TransactionLike;
}

export interface AddNodeOptions {
  readonly namespace: string;
  readonly nodeId: string;
  readonly nodeType: string;
  readonly properties?: JsonValue;
}

export interface EdgeRef {
  readonly namespace: string;
  readonly fromId: string;
  readonly edgeType: string;
  readonly toId: string;
}

export interface AddEdgeOptions extends EdgeRef {
  readonly properties?: JsonValue;
}

export interface EdgeQuery {
  readonly namespace: string;
  readonly nodeId: string;
  /** Default 'out'. */
  readonly direction?: GraphDirection;
  readonly edgeType?: string;
}

export interface TraverseOptions {
  readonly namespace: string;
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

export interface ShortestPathOptions {
  readonly namespace: string;
  readonly from: string;
  readonly to: string;
  /** Longest path considered, in hops; default unbounded. */
  readonly maxDepth?: number;
  readonly edgeTypes?: readonly string[];
  /** Default 'out'. */
  readonly direction?: GraphDirection;
}
