// Original file: proto/sochdb.proto

import type { SqlValue as _sochdb_v1_SqlValue, SqlValue__Output as _sochdb_v1_SqlValue__Output } from '../../sochdb/v1/SqlValue.js';

export interface SqlNamedParam {
  name?: string;
  value?: _sochdb_v1_SqlValue | null;
}

export interface SqlNamedParam__Output {
  name: string;
  value: _sochdb_v1_SqlValue__Output | null;
}
