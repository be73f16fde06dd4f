// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface DequeueRequest {
  queue?: string;
  workerId?: string;
  visibilityTimeoutMs?: number | string | Long;
  _visibilityTimeoutMs?: 'visibilityTimeoutMs';
}

export interface DequeueRequest__Output {
  queue: string;
  workerId: string;
  visibilityTimeoutMs?: number;
  _visibilityTimeoutMs?: 'visibilityTimeoutMs';
}
