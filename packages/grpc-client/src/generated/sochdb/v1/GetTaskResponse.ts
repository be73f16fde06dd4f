// Original file: proto/sochdb.proto

import type { Task as _sochdb_v1_Task, Task__Output as _sochdb_v1_Task__Output } from '../../sochdb/v1/Task.js';

export interface GetTaskResponse {
  found?: boolean;
  task?: _sochdb_v1_Task | null;
}

export interface GetTaskResponse__Output {
  found: boolean;
  task: _sochdb_v1_Task__Output | null;
}
