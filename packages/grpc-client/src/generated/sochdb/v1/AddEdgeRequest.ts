// Original file: proto/sochdb.proto

export interface AddEdgeRequest {
  namespace?: string;
  fromId?: string;
  edgeType?: string;
  toId?: string;
  propertiesJson?: string;
}

export interface AddEdgeRequest__Output {
  namespace: string;
  fromId: string;
  edgeType: string;
  toId: string;
  propertiesJson: string;
}
