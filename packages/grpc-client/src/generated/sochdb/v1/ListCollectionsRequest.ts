// Original file: proto/sochdb.proto

export interface ListCollectionsRequest {
  namespace?: string;
}

export interface ListCollectionsRequest__Output {
  namespace: string;
}
