// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface AttemptRecord {
  workerId?: string;
  claimedAt?: number | string | Long;
  outcome?: string;
  endedAt?: number | string | Long;
  _endedAt?: 'endedAt';
}

export interface AttemptRecord__Output {
  workerId: string;
  claimedAt: number;
  outcome: string;
  endedAt?: number;
  _endedAt?: 'endedAt';
}
