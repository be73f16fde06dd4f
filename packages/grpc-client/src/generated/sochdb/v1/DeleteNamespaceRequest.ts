// Original file: proto/sochdb.proto

export interface DeleteNamespaceRequest {
  name?: string;
}

export interface DeleteNamespaceRequest__Output {
  name: string;
}
