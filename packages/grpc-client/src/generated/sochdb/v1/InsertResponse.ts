// Original file: proto/sochdb.proto

export interface InsertResponse {
  ids?: string[];
}

export interface InsertResponse__Output {
  ids: string[];
}
