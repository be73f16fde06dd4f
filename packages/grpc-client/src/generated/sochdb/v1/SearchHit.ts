// Original file: proto/sochdb.proto

export interface SearchHit {
  id?: string;
  score?: number | string;
  distance?: number | string;
  metadataJson?: string;
  content?: string;
  _distance?: 'distance';
  _content?: 'content';
}

export interface SearchHit__Output {
  id: string;
  score: number;
  distance?: number;
  metadataJson: string;
  content?: string;
  _distance?: 'distance';
  _content?: 'content';
}
