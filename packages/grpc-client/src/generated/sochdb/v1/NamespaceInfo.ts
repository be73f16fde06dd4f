// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface NamespaceInfo {
  name?: string;
  displayName?: string;
  labels?: { [key: string]: string };
  createdAt?: number | string | Long;
}

export interface NamespaceInfo__Output {
  name: string;
  displayName: string;
  labels: { [key: string]: string };
  createdAt: number;
}
