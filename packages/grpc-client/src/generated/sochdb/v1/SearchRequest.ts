// Original file: proto/sochdb.proto

export interface SearchRequest {
  namespace?: string;
  collection?: string;
  vector?: (number | string)[];
  textQuery?: string;
  k?: number;
  filterJson?: string;
  alpha?: number | string;
  minScore?: number | string;
  efSearch?: number;
  rrfK?: number;
  candidates?: number;
  filterStrategy?: string;
  _alpha?: 'alpha';
  _minScore?: 'minScore';
  _efSearch?: 'efSearch';
  _rrfK?: 'rrfK';
  _candidates?: 'candidates';
  _filterStrategy?: 'filterStrategy';
}

export interface SearchRequest__Output {
  namespace: string;
  collection: string;
  vector: number[];
  textQuery: string;
  k: number;
  filterJson: string;
  alpha?: number;
  minScore?: number;
  efSearch?: number;
  rrfK?: number;
  candidates?: number;
  filterStrategy?: string;
  _alpha?: 'alpha';
  _minScore?: 'minScore';
  _efSearch?: 'efSearch';
  _rrfK?: 'rrfK';
  _candidates?: 'candidates';
  _filterStrategy?: 'filterStrategy';
}
