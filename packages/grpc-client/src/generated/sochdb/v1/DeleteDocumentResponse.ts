// Original file: proto/sochdb.proto

export interface DeleteDocumentResponse {
  deleted?: boolean;
}

export interface DeleteDocumentResponse__Output {
  deleted: boolean;
}
