// Original file: proto/sochdb.proto

export interface GraphEdge {
  fromId?: string;
  edgeType?: string;
  toId?: string;
  propertiesJson?: string;
}

export interface GraphEdge__Output {
  fromId: string;
  edgeType: string;
  toId: string;
  propertiesJson: string;
}
