// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface ExtendVisibilityRequest {
  queue?: string;
  taskId?: string;
  claimToken?: string;
  ms?: number | string | Long;
}

export interface ExtendVisibilityRequest__Output {
  queue: string;
  taskId: string;
  claimToken: string;
  ms: number;
}
