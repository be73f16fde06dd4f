// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface ExtendVisibilityResponse {
  leaseExpiresAt?: number | string | Long;
}

export interface ExtendVisibilityResponse__Output {
  leaseExpiresAt: number;
}
