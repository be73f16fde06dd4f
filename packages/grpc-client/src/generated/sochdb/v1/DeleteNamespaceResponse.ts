// Original file: proto/sochdb.proto

export interface DeleteNamespaceResponse {}

export interface DeleteNamespaceResponse__Output {}
