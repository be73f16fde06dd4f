// Original file: proto/sochdb.proto

export interface PurgeRequest {
  queue?: string;
  includeClaimed?: boolean;
}

export interface PurgeRequest__Output {
  queue: string;
  includeClaimed: boolean;
}
