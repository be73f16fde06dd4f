// Original file: proto/sochdb.proto

export interface AddNodeRequest {
  namespace?: string;
  nodeId?: string;
  nodeType?: string;
  propertiesJson?: string;
}

export interface AddNodeRequest__Output {
  namespace: string;
  nodeId: string;
  nodeType: string;
  propertiesJson: string;
}
