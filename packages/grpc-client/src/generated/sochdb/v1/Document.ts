// Original file: proto/sochdb.proto

export interface Document {
  id?: string;
  vector?: (number | string)[];
  metadataJson?: string;
  content?: string;
  _content?: 'content';
}

export interface Document__Output {
  id: string;
  vector: number[];
  metadataJson: string;
  content?: string;
  _content?: 'content';
}
