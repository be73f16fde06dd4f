// Original file: proto/sochdb.proto

export const Metric = {
  METRIC_UNSPECIFIED: 'METRIC_UNSPECIFIED',
  COSINE: 'COSINE',
  EUCLIDEAN: 'EUCLIDEAN',
  DOT_PRODUCT: 'DOT_PRODUCT',
} as const;

export type Metric = 'METRIC_UNSPECIFIED' | 0 | 'COSINE' | 1 | 'EUCLIDEAN' | 2 | 'DOT_PRODUCT' | 3;

export type Metric__Output = (typeof Metric)[keyof typeof Metric];
