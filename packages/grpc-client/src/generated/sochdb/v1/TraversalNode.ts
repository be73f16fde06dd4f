// Original file: proto/sochdb.proto

import type { GraphEdge as _sochdb_v1_GraphEdge, GraphEdge__Output as _sochdb_v1_GraphEdge__Output } from '../../sochdb/v1/GraphEdge.js';

export interface TraversalNode {
  id?: string;
  type?: string;
  propertiesJson?: string;
  depth?: number;
  via?: _sochdb_v1_GraphEdge | null;
}

export interface TraversalNode__Output {
  id: string;
  type: string;
  propertiesJson: string;
  depth: number;
  via: _sochdb_v1_GraphEdge__Output | null;
}
