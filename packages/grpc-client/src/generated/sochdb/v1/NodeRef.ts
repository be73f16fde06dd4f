// Original file: proto/sochdb.proto

export interface NodeRef {
  namespace?: string;
  nodeId?: string;
}

export interface NodeRef__Output {
  namespace: string;
  nodeId: string;
}
