// Original file: proto/sochdb.proto

export interface KvEntry {
  key?: Buffer | Uint8Array | string;
  value?: Buffer | Uint8Array | string;
}

export interface KvEntry__Output {
  key: Buffer;
  value: Buffer;
}
