// Original file: proto/sochdb.proto

export interface ListNamespacesRequest {}

export interface ListNamespacesRequest__Output {}
