// Original file: proto/sochdb.proto

export interface CreateNamespaceRequest {
  name?: string;
  displayName?: string;
  labels?: { [key: string]: string };
}

export interface CreateNamespaceRequest__Output {
  name: string;
  displayName: string;
  labels: { [key: string]: string };
}
