// Original file: proto/sochdb.proto

export interface KvPutResponse {}

export interface KvPutResponse__Output {}
