// Original file: proto/sochdb.proto

export interface KvGetResponse {
  found?: boolean;
  value?: Buffer | Uint8Array | string;
}

export interface KvGetResponse__Output {
  found: boolean;
  value: Buffer;
}
