// Original file: proto/sochdb.proto

import type { SearchHit as _sochdb_v1_SearchHit, SearchHit__Output as _sochdb_v1_SearchHit__Output } from '../../sochdb/v1/SearchHit.js';

export interface SearchResponse {
  results?: _sochdb_v1_SearchHit[];
}

export interface SearchResponse__Output {
  results: _sochdb_v1_SearchHit__Output[];
}
