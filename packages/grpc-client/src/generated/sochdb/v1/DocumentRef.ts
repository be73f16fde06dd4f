// Original file: proto/sochdb.proto

export interface DocumentRef {
  namespace?: string;
  collection?: string;
  id?: string;
}

export interface DocumentRef__Output {
  namespace: string;
  collection: string;
  id: string;
}
