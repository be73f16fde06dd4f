// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface NackRequest {
  queue?: string;
  taskId?: string;
  claimToken?: string;
  delayMs?: number | string | Long;
  priority?: number | string | Long;
  _delayMs?: 'delayMs';
  _priority?: 'priority';
}

export interface NackRequest__Output {
  queue: string;
  taskId: string;
  claimToken: string;
  delayMs?: number;
  priority?: number;
  _delayMs?: 'delayMs';
  _priority?: 'priority';
}
