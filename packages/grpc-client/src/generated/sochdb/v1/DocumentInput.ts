// Original file: proto/sochdb.proto

export interface DocumentInput {
  id?: string;
  vector?: (number | string)[];
  metadataJson?: string;
  content?: string;
  _content?: 'content';
}

export interface DocumentInput__Output {
  id: string;
  vector: number[];
  metadataJson: string;
  content?: string;
  _content?: 'content';
}
