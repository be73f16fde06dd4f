// Original file: proto/sochdb.proto

import type { Task as _sochdb_v1_Task, Task__Output as _sochdb_v1_Task__Output } from '../../sochdb/v1/Task.js';

export interface TaskList {
  tasks?: _sochdb_v1_Task[];
}

export interface TaskList__Output {
  tasks: _sochdb_v1_Task__Output[];
}
