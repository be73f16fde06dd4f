// Original file: proto/sochdb.proto

export interface VectorInsertBatchRequest {
  namespace?: string;
  collection?: string;
  ids?: string[];
  vectors?: (number | string)[];
  metadataJson?: string[];
}

export interface VectorInsertBatchRequest__Output {
  namespace: string;
  collection: string;
  ids: string[];
  vectors: number[];
  metadataJson: string[];
}
