// Original file: proto/sochdb.proto

import type {
  CollectionInfo as _sochdb_v1_CollectionInfo,
  CollectionInfo__Output as _sochdb_v1_CollectionInfo__Output,
} from '../../sochdb/v1/CollectionInfo.js';

export interface ListCollectionsResponse {
  collections?: _sochdb_v1_CollectionInfo[];
}

export interface ListCollectionsResponse__Output {
  collections: _sochdb_v1_CollectionInfo__Output[];
}
