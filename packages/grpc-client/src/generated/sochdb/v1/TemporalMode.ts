// Original file: proto/sochdb.proto

export const TemporalMode = {
  TEMPORAL_MODE_UNSPECIFIED: 'TEMPORAL_MODE_UNSPECIFIED',
  POINT_IN_TIME: 'POINT_IN_TIME',
  RANGE: 'RANGE',
  CURRENT: 'CURRENT',
} as const;

export type TemporalMode = 'TEMPORAL_MODE_UNSPECIFIED' | 0 | 'POINT_IN_TIME' | 1 | 'RANGE' | 2 | 'CURRENT' | 3;

export type TemporalMode__Output = (typeof TemporalMode)[keyof typeof TemporalMode];
