// Original file: proto/sochdb.proto

import type { Task as _sochdb_v1_Task, Task__Output as _sochdb_v1_Task__Output } from '../../sochdb/v1/Task.js';
import type { Long } from '@grpc/proto-loader';

export interface DequeueResponse {
  found?: boolean;
  task?: _sochdb_v1_Task | null;
  waitMs?: number | string | Long;
  _waitMs?: 'waitMs';
}

export interface DequeueResponse__Output {
  found: boolean;
  task: _sochdb_v1_Task__Output | null;
  waitMs?: number;
  _waitMs?: 'waitMs';
}
