// Original file: proto/sochdb.proto

import type { AttemptRecord as _sochdb_v1_AttemptRecord, AttemptRecord__Output as _sochdb_v1_AttemptRecord__Output } from '../../sochdb/v1/AttemptRecord.js';
import type {
  DeadLetterOrigin as _sochdb_v1_DeadLetterOrigin,
  DeadLetterOrigin__Output as _sochdb_v1_DeadLetterOrigin__Output,
} from '../../sochdb/v1/DeadLetterOrigin.js';
import type { Long } from '@grpc/proto-loader';

export interface Task {
  taskId?: string;
  priority?: number | string | Long;
  payload?: Buffer | Uint8Array | string;
  metadataJson?: string;
  state?: string;
  attempts?: number;
  history?: _sochdb_v1_AttemptRecord[];
  enqueuedAt?: number | string | Long;
  visibleAt?: number | string | Long;
  deadLetter?: _sochdb_v1_DeadLetterOrigin | null;
  workerId?: string;
  claimToken?: string;
  leaseExpiresAt?: number | string | Long;
}

export interface Task__Output {
  taskId: string;
  priority: number;
  payload: Buffer;
  metadataJson: string;
  state: string;
  attempts: number;
  history: _sochdb_v1_AttemptRecord__Output[];
  enqueuedAt: number;
  visibleAt: number;
  deadLetter: _sochdb_v1_DeadLetterOrigin__Output | null;
  workerId: string;
  claimToken: string;
  leaseExpiresAt: number;
}
