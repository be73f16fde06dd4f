// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface EndTemporalEdgeRequest {
  namespace?: string;
  fromId?: string;
  edgeType?: string;
  toId?: string;
  at?: number | string | Long;
  _at?: 'at';
}

export interface EndTemporalEdgeRequest__Output {
  namespace: string;
  fromId: string;
  edgeType: string;
  toId: string;
  at?: number;
  _at?: 'at';
}
