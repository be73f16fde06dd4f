// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface DequeueRequest {
  queue?: string;
  workerId?: string;
  visibilityTimeoutMs?: number | string | Long;
  waitMs?: number | string | Long;
  _visibilityTimeoutMs?: 'visibilityTimeoutMs';
  _waitMs?: 'waitMs';
}

export interface DequeueRequest__Output {
  queue: string;
  workerId: string;
  visibilityTimeoutMs?: number;
  waitMs?: number;
  _visibilityTimeoutMs?: 'visibilityTimeoutMs';
  _waitMs?: 'waitMs';
}
