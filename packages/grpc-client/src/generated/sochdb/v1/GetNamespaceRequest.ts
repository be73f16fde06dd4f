// Original file: proto/sochdb.proto

export interface GetNamespaceRequest {
  name?: string;
}

export interface GetNamespaceRequest__Output {
  name: string;
}
