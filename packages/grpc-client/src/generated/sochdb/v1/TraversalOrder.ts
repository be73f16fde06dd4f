// Original file: proto/sochdb.proto

export const TraversalOrder = {
  TRAVERSAL_ORDER_UNSPECIFIED: 'TRAVERSAL_ORDER_UNSPECIFIED',
  BFS: 'BFS',
  DFS: 'DFS',
} as const;

export type TraversalOrder = 'TRAVERSAL_ORDER_UNSPECIFIED' | 0 | 'BFS' | 1 | 'DFS' | 2;

export type TraversalOrder__Output = (typeof TraversalOrder)[keyof typeof TraversalOrder];
