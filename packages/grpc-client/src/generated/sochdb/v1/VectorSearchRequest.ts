// Original file: proto/sochdb.proto

export interface VectorSearchRequest {
  namespace?: string;
  collection?: string;
  query?: (number | string)[];
  k?: number;
  filterJson?: string;
  efSearch?: number;
  _efSearch?: 'efSearch';
}

export interface VectorSearchRequest__Output {
  namespace: string;
  collection: string;
  query: number[];
  k: number;
  filterJson: string;
  efSearch?: number;
  _efSearch?: 'efSearch';
}
