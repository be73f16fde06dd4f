// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface TemporalEdge {
  fromId?: string;
  edgeType?: string;
  toId?: string;
  validFrom?: number | string | Long;
  validUntil?: number | string | Long;
  propertiesJson?: string;
}

export interface TemporalEdge__Output {
  fromId: string;
  edgeType: string;
  toId: string;
  validFrom: number;
  validUntil: number;
  propertiesJson: string;
}
