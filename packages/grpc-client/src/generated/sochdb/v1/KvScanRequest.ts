// Original file: proto/sochdb.proto

export interface KvScanRequest {
  namespace?: string;
  prefix?: Buffer | Uint8Array | string;
  limit?: number;
  reverse?: boolean;
}

export interface KvScanRequest__Output {
  namespace: string;
  prefix: Buffer;
  limit: number;
  reverse: boolean;
}
