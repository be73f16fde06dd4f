import { ProtocolError, ValidationError } from '@sochdb/core';
import { describeValue } from '@sochdb/core/internal';
import type { GraphDirection as Direction, GraphEdge, GraphNeighbor, GraphNode, GraphPath, TraversalNode, TraversalOrder } from '@sochdb/graph';
import type { TemporalEdge, TemporalQuery } from '@sochdb/temporal';
import type { Direction__Output } from './generated/sochdb/v1/Direction.js';
import type { GraphEdge as WireEdge, GraphEdge__Output } from './generated/sochdb/v1/GraphEdge.js';
import type { GraphNeighbor as WireNeighbor, GraphNeighbor__Output } from './generated/sochdb/v1/GraphNeighbor.js';
import type { GraphNode as WireNode, GraphNode__Output } from './generated/sochdb/v1/GraphNode.js';
import type { ShortestPathResponse, ShortestPathResponse__Output } from './generated/sochdb/v1/ShortestPathResponse.js';
import type { TemporalEdge as WireTemporalEdge, TemporalEdge__Output } from './generated/sochdb/v1/TemporalEdge.js';
import type { TemporalQueryRequest, TemporalQueryRequest__Output } from './generated/sochdb/v1/TemporalQueryRequest.js';
import type { TraversalNode as WireTraversalNode, TraversalNode__Output } from './generated/sochdb/v1/TraversalNode.js';
import type { TraversalOrder__Output } from './generated/sochdb/v1/TraversalOrder.js';
import { parseJsonText, toJsonText, type JsonValue } from './wire-json.js';

// Graph and temporal-graph shapes on the wire, both ways. Properties travel as JSON text; a node
// or edge without properties reads back as null, as it does embedded.

const DIRECTIONS: Readonly<Record<Direction, Direction__Output>> = { out: 'OUT', in: 'IN', both: 'BOTH' };

/** A direction as the wire enum; `undefined` becomes `DIRECTION_UNSPECIFIED` (the server's default), anything but out/in/both a ValidationError. */
export function directionToWire(direction: Direction | undefined): Direction__Output {
  if (direction === undefined) return 'DIRECTION_UNSPECIFIED';
  // An own-property check: 'toString' and the like must not reach the wire as a prototype method.
  if (typeof direction !== 'string' || !Object.hasOwn(DIRECTIONS, direction)) {
    throw new ValidationError(`direction must be 'out', 'in' or 'both', got ${describeValue(direction)}`, { field: 'direction' });
  }
  return DIRECTIONS[direction];
}

/** The wire enum as a direction; `undefined` for `DIRECTION_UNSPECIFIED`, so the embedded default applies. */
export function directionFromWire(direction: Direction__Output): Direction | undefined {
  return direction === 'IN' ? 'in' : direction === 'BOTH' ? 'both' : direction === 'OUT' ? 'out' : undefined;
}

/** A traversal order as the wire enum; `undefined` becomes `TRAVERSAL_ORDER_UNSPECIFIED`, anything but bfs/dfs a ValidationError. */
export function orderToWire(order: TraversalOrder | undefined): TraversalOrder__Output {
  if (order === undefined) return 'TRAVERSAL_ORDER_UNSPECIFIED';
  if (order !== 'bfs' && order !== 'dfs') throw new ValidationError(`order must be 'bfs' or 'dfs', got ${describeValue(order)}`, { field: 'order' });
  return order === 'bfs' ? 'BFS' : 'DFS';
}

/** The wire enum as a traversal order; `undefined` for `TRAVERSAL_ORDER_UNSPECIFIED`. */
export function orderFromWire(order: TraversalOrder__Output): TraversalOrder | undefined {
  return order === 'BFS' ? 'bfs' : order === 'DFS' ? 'dfs' : undefined;
}

/** Optional JSON properties from the wire: undefined when not given, so the store applies its default. */
export function propertiesFromWire(text: string): JsonValue | undefined {
  return parseJsonText(text, 'properties');
}

const properties = (text: string): JsonValue => parseJsonText(text, 'properties') ?? null;

/** A node for the wire, properties as JSON text (`''` when it has none). */
export const nodeToWire = (node: GraphNode): WireNode => ({ id: node.id, type: node.type, propertiesJson: toJsonText(node.properties, 'properties') });
/** A node from the wire; no properties read back as `null`, as embedded. */
export const nodeFromWire = (node: GraphNode__Output): GraphNode => ({ id: node.id, type: node.type, properties: properties(node.propertiesJson) });

/** An edge for the wire, properties as JSON text. */
export const edgeToWire = (edge: GraphEdge): WireEdge => ({ ...edge, propertiesJson: toJsonText(edge.properties, 'properties') });
/** An edge from the wire; no properties read back as `null`. */
export function edgeFromWire({ fromId, edgeType, toId, propertiesJson }: GraphEdge__Output): GraphEdge {
  return { fromId, edgeType, toId, properties: properties(propertiesJson) };
}

/** A neighbor (node, connecting edge, direction) for the wire. */
export const neighborToWire = (n: GraphNeighbor): WireNeighbor => ({
  node: nodeToWire(n.node),
  edge: edgeToWire(n.edge),
  direction: directionToWire(n.direction),
});
/**
 * A neighbor from the wire. Its direction is `'in'` only when the wire says IN, else `'out'`; a
 * neighbor missing its node or edge is a ProtocolError (a broken server).
 */
export function neighborFromWire(n: GraphNeighbor__Output): GraphNeighbor {
  if (n.node === null || n.edge === null) throw new ProtocolError('the server sent a neighbor without its node or edge');
  return { node: nodeFromWire(n.node), edge: edgeFromWire(n.edge), direction: n.direction === 'IN' ? 'in' : 'out' };
}

/** A traversal step for the wire: the node, its depth and the edge it was reached by (`null` for the start node). */
export function traversalNodeToWire(n: TraversalNode): WireTraversalNode {
  return { ...nodeToWire(n), depth: n.depth, via: n.via === null ? null : edgeToWire(n.via) };
}
/** A traversal step from the wire; `via` is `null` for the start node. */
export function traversalNodeFromWire(n: TraversalNode__Output): TraversalNode {
  return { ...nodeFromWire(n), depth: n.depth, via: n.via === null ? null : edgeFromWire(n.via) };
}

/** A ShortestPath reply: `found: false` for `null` (no path). */
export function pathToWire(path: GraphPath | null): ShortestPathResponse {
  return path === null ? { found: false } : { found: true, nodes: path.nodes.map(nodeToWire), edges: path.edges.map(edgeToWire) };
}
/** A ShortestPath reply as a path, or `null` when the server found none. */
export function pathFromWire(response: ShortestPathResponse__Output): GraphPath | null {
  return response.found ? { nodes: response.nodes.map(nodeFromWire), edges: response.edges.map(edgeFromWire) } : null;
}

/** A temporal edge for the wire, properties as JSON text; its validity times pass through unchanged (Unix ms). */
export const temporalEdgeToWire = (edge: TemporalEdge): WireTemporalEdge => ({ ...edge, propertiesJson: toJsonText(edge.properties, 'properties') });
/** A temporal edge from the wire; no properties read back as `null`. */
export function temporalEdgeFromWire({ fromId, edgeType, toId, validFrom, validUntil, propertiesJson }: TemporalEdge__Output): TemporalEdge {
  return { fromId, edgeType, toId, validFrom, validUntil, properties: properties(propertiesJson) };
}

/**
 * A TemporalQuery request: only the fields of the query's `mode` are sent. A query that is not an
 * object, an unknown mode or a bad direction is a ValidationError.
 */
export function temporalQueryToWire(query: TemporalQuery): TemporalQueryRequest {
  if (query === null || typeof query !== 'object') throw new ValidationError('queryTemporalGraph needs { namespace, node, mode, … }', { field: 'query' });
  const base = { namespace: query.namespace, node: query.node, edgeType: query.edgeType ?? '', direction: directionToWire(query.direction) };
  switch (query.mode) {
    case 'point_in_time':
      return { ...base, mode: 'POINT_IN_TIME', timestamp: query.timestamp };
    case 'range':
      return { ...base, mode: 'RANGE', startTime: query.startTime, endTime: query.endTime };
    case 'current':
      return { ...base, mode: 'CURRENT' };
    default:
      throw new ValidationError(`mode must be 'point_in_time', 'range' or 'current', got ${JSON.stringify((query as { mode: unknown }).mode)}`, {
        field: 'mode',
      });
  }
}

/** The server side of {@link temporalQueryToWire}; an unspecified mode is a ValidationError. */
export function temporalQueryFromWire(request: TemporalQueryRequest__Output): TemporalQuery {
  const direction = directionFromWire(request.direction);
  const base = {
    namespace: request.namespace,
    node: request.node,
    ...(request.edgeType === '' ? {} : { edgeType: request.edgeType }),
    ...(direction === undefined ? {} : { direction }),
  };
  switch (request.mode) {
    case 'POINT_IN_TIME':
      return { ...base, mode: 'point_in_time', timestamp: request.timestamp };
    case 'RANGE':
      return { ...base, mode: 'range', startTime: request.startTime, endTime: request.endTime };
    case 'CURRENT':
      return { ...base, mode: 'current' };
    default:
      throw new ValidationError('mode must be POINT_IN_TIME, RANGE or CURRENT', { field: 'mode' });
  }
}
