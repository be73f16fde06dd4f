// Original file: proto/sochdb.proto

import type { AttemptRecord as _sochdb_v1_AttemptRecord, AttemptRecord__Output as _sochdb_v1_AttemptRecord__Output } from '../../sochdb/v1/AttemptRecord.js';
import type { Long } from '@grpc/proto-loader';

export interface DeadLetterOrigin {
  queue?: string;
  taskId?: string;
  priority?: number | string | Long;
  attempts?: number;
  history?: _sochdb_v1_AttemptRecord[];
  deadLetteredAt?: number | string | Long;
}

export interface DeadLetterOrigin__Output {
  queue: string;
  taskId: string;
  priority: number;
  attempts: number;
  history: _sochdb_v1_AttemptRecord__Output[];
  deadLetteredAt: number;
}
