// Original file: proto/sochdb.proto

export interface KvDeleteResponse {}

export interface KvDeleteResponse__Output {}
