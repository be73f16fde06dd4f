// Original file: proto/sochdb.proto

import type { Long } from '@grpc/proto-loader';

export interface TaskInput {
  priority?: number | string | Long;
  payload?: Buffer | Uint8Array | string;
  metadataJson?: string;
  delayMs?: number | string | Long;
  taskId?: string;
}

export interface TaskInput__Output {
  priority: number;
  payload: Buffer;
  metadataJson: string;
  delayMs: number;
  taskId: string;
}
