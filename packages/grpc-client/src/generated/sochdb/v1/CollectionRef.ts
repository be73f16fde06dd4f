// Original file: proto/sochdb.proto

export interface CollectionRef {
  namespace?: string;
  collection?: string;
}

export interface CollectionRef__Output {
  namespace: string;
  collection: string;
}
