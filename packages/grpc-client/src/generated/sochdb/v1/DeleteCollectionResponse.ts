// Original file: proto/sochdb.proto

export interface DeleteCollectionResponse {}

export interface DeleteCollectionResponse__Output {}
