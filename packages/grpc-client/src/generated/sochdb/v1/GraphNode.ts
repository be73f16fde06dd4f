// Original file: proto/sochdb.proto

export interface GraphNode {
  id?: string;
  type?: string;
  propertiesJson?: string;
}

export interface GraphNode__Output {
  id: string;
  type: string;
  propertiesJson: string;
}
