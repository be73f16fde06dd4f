// Original file: proto/sochdb.proto

export const Direction = {
  DIRECTION_UNSPECIFIED: 'DIRECTION_UNSPECIFIED',
  OUT: 'OUT',
  IN: 'IN',
  BOTH: 'BOTH',
} as const;

export type Direction = 'DIRECTION_UNSPECIFIED' | 0 | 'OUT' | 1 | 'IN' | 2 | 'BOTH' | 3;

export type Direction__Output = (typeof Direction)[keyof typeof Direction];
