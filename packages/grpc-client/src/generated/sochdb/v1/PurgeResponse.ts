// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface PurgeResponse {
  removed?: number | string | Long;
}

export interface PurgeResponse__Output {
  removed: number;
}
