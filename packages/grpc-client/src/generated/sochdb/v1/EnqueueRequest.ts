// Original file: proto/sochdb.proto

import type { TaskInput as _sochdb_v1_TaskInput, TaskInput__Output as _sochdb_v1_TaskInput__Output } from '../../sochdb/v1/TaskInput.js';

export interface EnqueueRequest {
  queue?: string;
  tasks?: _sochdb_v1_TaskInput[];
}

export interface EnqueueRequest__Output {
  queue: string;
  tasks: _sochdb_v1_TaskInput__Output[];
}
