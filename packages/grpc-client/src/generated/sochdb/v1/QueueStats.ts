// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface QueueStats {
  pending?: number | string | Long;
  delayed?: number | string | Long;
  claimed?: number | string | Long;
  completed?: number | string | Long;
  deadLettered?: number | string | Long;
  total?: number | string | Long;
}

export interface QueueStats__Output {
  pending: number;
  delayed: number;
  claimed: number;
  completed: number;
  deadLettered: number;
  total: number;
}
