// Original file: proto/sochdb.proto

export interface GetTaskRequest {
  queue?: string;
  taskId?: string;
}

export interface GetTaskRequest__Output {
  queue: string;
  taskId: string;
}
