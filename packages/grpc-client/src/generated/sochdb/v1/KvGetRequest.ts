// Original file: proto/sochdb.proto

export interface KvGetRequest {
  namespace?: string;
  key?: Buffer | Uint8Array | string;
}

export interface KvGetRequest__Output {
  namespace: string;
  key: Buffer;
}
