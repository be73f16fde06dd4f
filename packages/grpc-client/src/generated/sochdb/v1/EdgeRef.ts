// Original file: proto/sochdb.proto

export interface EdgeRef {
  namespace?: string;
  fromId?: string;
  edgeType?: string;
  toId?: string;
}

export interface EdgeRef__Output {
  namespace: string;
  fromId: string;
  edgeType: string;
  toId: string;
}
