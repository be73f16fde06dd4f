// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface AddTemporalEdgeRequest {
  namespace?: string;
  fromId?: string;
  edgeType?: string;
  toId?: string;
  validFrom?: number | string | Long;
  validUntil?: number | string | Long;
  propertiesJson?: string;
}

export interface AddTemporalEdgeRequest__Output {
  namespace: string;
  fromId: string;
  edgeType: string;
  toId: string;
  validFrom: number;
  validUntil: number;
  propertiesJson: string;
}
