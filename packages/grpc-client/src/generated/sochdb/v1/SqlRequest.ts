// Original file: proto/sochdb.proto

import type { SqlValue as _sochdb_v1_SqlValue, SqlValue__Output as _sochdb_v1_SqlValue__Output } from '../../sochdb/v1/SqlValue.js';
import type { SqlNamedParam as _sochdb_v1_SqlNamedParam, SqlNamedParam__Output as _sochdb_v1_SqlNamedParam__Output } from '../../sochdb/v1/SqlNamedParam.js';

export interface SqlRequest {
  sql?: string;
  positional?: _sochdb_v1_SqlValue[];
  named?: _sochdb_v1_SqlNamedParam[];
}

export interface SqlRequest__Output {
  sql: string;
  positional: _sochdb_v1_SqlValue__Output[];
  named: _sochdb_v1_SqlNamedParam__Output[];
}
