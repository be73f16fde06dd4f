// Original file: proto/sochdb.proto

export interface ClaimResponse {
  ok?: boolean;
}

export interface ClaimResponse__Output {
  ok: boolean;
}
