// Original file: proto/sochdb.proto

export interface KvPutRequest {
  namespace?: string;
  key?: Buffer | Uint8Array | string;
  value?: Buffer | Uint8Array | string;
}

export interface KvPutRequest__Output {
  namespace: string;
  key: Buffer;
  value: Buffer;
}
