// Original file: proto/sochdb.proto

import type { SqlRow as _sochdb_v1_SqlRow, SqlRow__Output as _sochdb_v1_SqlRow__Output } from '../../sochdb/v1/SqlRow.js';
import type { SqlValue as _sochdb_v1_SqlValue, SqlValue__Output as _sochdb_v1_SqlValue__Output } from '../../sochdb/v1/SqlValue.js';
import type { Long } from '@grpc/proto-loader';

export interface SqlResponse {
  columns?: string[];
  rows?: _sochdb_v1_SqlRow[];
  rowsAffected?: number | string | Long;
  lastInsertRowid?: _sochdb_v1_SqlValue | null;
}

export interface SqlResponse__Output {
  columns: string[];
  rows: _sochdb_v1_SqlRow__Output[];
  rowsAffected: number;
  lastInsertRowid: _sochdb_v1_SqlValue__Output | null;
}
