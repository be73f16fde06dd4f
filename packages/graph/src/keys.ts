import { encodeKey, keyRange } from '@sochdb/core';

// Layout, all under the tuple prefix ['g', namespace] so namespaces never share a key:
//   ['g', ns, 'n', nodeId]                  → {"t": nodeType, "p": properties}
//   ['g', ns, 'o', fromId, edgeType, toId]  → properties   (outgoing adjacency)
//   ['g', ns, 'i', toId, edgeType, fromId]  → properties   (incoming adjacency)
// Both adjacency lists carry the properties so either direction is one range read.

export const nodeKey = (ns: string, id: string): Buffer => encodeKey(['g', ns, 'n', id]);
export const outKey = (ns: string, from: string, type: string, to: string): Buffer => encodeKey(['g', ns, 'o', from, type, to]);
export const inKey = (ns: string, to: string, type: string, from: string): Buffer => encodeKey(['g', ns, 'i', to, type, from]);

/** Range of one node's adjacency in one direction, optionally of one edge type. */
export function adjacencyRange(ns: string, side: 'o' | 'i', nodeId: string, edgeType?: string): ReturnType<typeof keyRange> {
  return keyRange(edgeType === undefined ? ['g', ns, side, nodeId] : ['g', ns, side, nodeId, edgeType]);
}
