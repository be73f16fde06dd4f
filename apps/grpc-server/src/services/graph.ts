import { grpcWire, type SochDBServices } from '@sochdb/grpc-client';
import type { Database } from '@sochdb/sdk';
import type { ServiceImpl } from '../rpc.js';

const { directionFromWire, orderFromWire, propertiesFromWire } = grpcWire;

/** Optional fields of a request, without the ones left at "not given". */
function given<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

export function graphService(db: Database): ServiceImpl<SochDBServices['GraphService']['service']> {
  return {
    async AddNode({ namespace, nodeId, nodeType, propertiesJson }) {
      return grpcWire.nodeToWire(await db.graphAddNode({ namespace, nodeId, nodeType, ...given({ properties: propertiesFromWire(propertiesJson) }) }));
    },
    async GetNode({ namespace, nodeId }) {
      const node = await db.graphGetNode(namespace, nodeId);
      return node === null ? { found: false } : { found: true, node: grpcWire.nodeToWire(node) };
    },
    async DeleteNode({ namespace, nodeId }) {
      return { deleted: await db.graphDeleteNode(namespace, nodeId) };
    },
    async AddEdge({ namespace, fromId, edgeType, toId, propertiesJson }) {
      return grpcWire.edgeToWire(await db.graphAddEdge({ namespace, fromId, edgeType, toId, ...given({ properties: propertiesFromWire(propertiesJson) }) }));
    },
    async DeleteEdge({ namespace, fromId, edgeType, toId }) {
      return { deleted: await db.graphDeleteEdge({ namespace, fromId, edgeType, toId }) };
    },
    async GetEdges({ namespace, nodeId, direction, edgeType }) {
      const edges = await db.graphGetEdges({ namespace, nodeId, ...given({ direction: directionFromWire(direction), edgeType: edgeType || undefined }) });
      return { edges: edges.map(grpcWire.edgeToWire) };
    },
    async Neighbors({ namespace, nodeId, direction, edgeType }) {
      const neighbors = await db.graphNeighbors({ namespace, nodeId, ...given({ direction: directionFromWire(direction), edgeType: edgeType || undefined }) });
      return { neighbors: neighbors.map(grpcWire.neighborToWire) };
    },
    async Traverse({ namespace, startNode, maxDepth, order, edgeTypes, direction }) {
      const options = given({
        maxDepth,
        order: orderFromWire(order),
        direction: directionFromWire(direction),
        edgeTypes: edgeTypes.length > 0 ? edgeTypes : undefined,
      });
      return { nodes: (await db.graphTraverse({ namespace, startNode, ...options })).map(grpcWire.traversalNodeToWire) };
    },
    async ShortestPath({ namespace, from, to, maxDepth, edgeTypes, direction }) {
      const options = given({ maxDepth, direction: directionFromWire(direction), edgeTypes: edgeTypes.length > 0 ? edgeTypes : undefined });
      return grpcWire.pathToWire(await db.graphShortestPath({ namespace, from, to, ...options }));
    },
    async AddTemporalEdge({ namespace, fromId, edgeType, toId, validFrom, validUntil, propertiesJson }) {
      const edge = await db.addTemporalEdge({
        namespace,
        fromId,
        edgeType,
        toId,
        validFrom,
        validUntil,
        ...given({ properties: propertiesFromWire(propertiesJson) }),
      });
      return grpcWire.temporalEdgeToWire(edge);
    },
    async EndTemporalEdge({ namespace, fromId, edgeType, toId, at }) {
      return grpcWire.temporalEdgeToWire(await db.endTemporalEdge({ namespace, fromId, edgeType, toId, ...given({ at }) }));
    },
    async QueryTemporalGraph(request) {
      return { edges: (await db.queryTemporalGraph(grpcWire.temporalQueryFromWire(request))).map(grpcWire.temporalEdgeToWire) };
    },
  };
}
