// Original file: proto/sochdb.proto

import type { SqlValue as _sochdb_v1_SqlValue, SqlValue__Output as _sochdb_v1_SqlValue__Output } from '../../sochdb/v1/SqlValue.js';

export interface SqlRow {
  values?: _sochdb_v1_SqlValue[];
}

export interface SqlRow__Output {
  values: _sochdb_v1_SqlValue__Output[];
}
