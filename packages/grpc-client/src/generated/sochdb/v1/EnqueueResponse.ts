// Original file: proto/sochdb.proto

export interface EnqueueResponse {
  taskIds?: string[];
}

export interface EnqueueResponse__Output {
  taskIds: string[];
}
