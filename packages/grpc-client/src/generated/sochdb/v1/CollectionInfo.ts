// Original file: proto/sochdb.proto

import type { Metric as _sochdb_v1_Metric, Metric__Output as _sochdb_v1_Metric__Output } from '../../sochdb/v1/Metric.js';
import type { TextAnalysis as _sochdb_v1_TextAnalysis, TextAnalysis__Output as _sochdb_v1_TextAnalysis__Output } from '../../sochdb/v1/TextAnalysis.js';
import type { Long } from '@grpc/proto-loader';

export interface CollectionInfo {
  namespace?: string;
  name?: string;
  dimension?: number;
  metric?: _sochdb_v1_Metric;
  m?: number;
  efConstruction?: number;
  efSearch?: number;
  createdAt?: number | string | Long;
  text?: _sochdb_v1_TextAnalysis | null;
}

export interface CollectionInfo__Output {
  namespace: string;
  name: string;
  dimension: number;
  metric: _sochdb_v1_Metric__Output;
  m: number;
  efConstruction: number;
  efSearch: number;
  createdAt: number;
  text: _sochdb_v1_TextAnalysis__Output | null;
}
