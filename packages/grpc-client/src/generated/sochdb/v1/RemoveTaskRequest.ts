// Original file: proto/sochdb.proto

export interface RemoveTaskRequest {
  queue?: string;
  taskId?: string;
  includeClaimed?: boolean;
}

export interface RemoveTaskRequest__Output {
  queue: string;
  taskId: string;
  includeClaimed: boolean;
}
