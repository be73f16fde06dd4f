// Original file: proto/sochdb.proto

export interface QueueRef {
  queue?: string;
}

export interface QueueRef__Output {
  queue: string;
}
