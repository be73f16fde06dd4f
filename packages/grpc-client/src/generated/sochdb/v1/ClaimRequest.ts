// Original file: proto/sochdb.proto

export interface ClaimRequest {
  queue?: string;
  taskId?: string;
  claimToken?: string;
}

export interface ClaimRequest__Output {
  queue: string;
  taskId: string;
  claimToken: string;
}
