// Original file: proto/sochdb.proto

export interface TopKRequest {
  queue?: string;
  k?: number;
}

export interface TopKRequest__Output {
  queue: string;
  k: number;
}
