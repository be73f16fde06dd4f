// Original file: proto/sochdb.proto

export interface KvDeleteRequest {
  namespace?: string;
  key?: Buffer | Uint8Array | string;
}

export interface KvDeleteRequest__Output {
  namespace: string;
  key: Buffer;
}
