// Original file: proto/sochdb.proto

export interface DeletedResponse {
  deleted?: boolean;
}

export interface DeletedResponse__Output {
  deleted: boolean;
}
