// The shapes the API answers, as the UI reads them (the request shapes come from the server's own
// zod schemas, see forms.ts). Kept by hand beside the routes: the route modules import the SDK,
// which is Node code the browser build must not see.

/** A value as the API shows it: text and JSON when they exist, always hex and the length. */
export interface ValueView {
  readonly text?: string;
  readonly json?: unknown;
  readonly hex: string;
  readonly bytes: number;
  readonly truncated?: boolean;
}

export interface QueueCounts {
  readonly name: string;
  readonly pending: number;
  readonly delayed: number;
  readonly claimed: number;
  readonly completed: number;
  readonly deadLettered: number;
  readonly total: number;
}

export interface CollectionSummary {
  readonly namespace: string;
  readonly name: string;
  readonly dimension: number | null;
  readonly metric: string;
  readonly count: number;
  readonly createdAt: number;
}

export interface Overview {
  readonly path: string;
  readonly concurrent: boolean;
  /** embedded: this process holds the folder; concurrent: shared; ipc: through another process's socket; grpc: a sochdb-grpc-server. */
  readonly source: 'embedded' | 'concurrent' | 'ipc' | 'grpc';
  /** Bytes on disk; null when the database is not a folder. */
  readonly sizeBytes: number | null;
  readonly write: boolean;
  /** null over gRPC: the server gives no storage counters. */
  readonly stats: Readonly<Record<string, unknown>> | null;
  readonly namespaces: readonly { readonly name: string; readonly displayName: string; readonly collections: readonly CollectionSummary[] }[];
  readonly queues: readonly QueueCounts[];
}

export interface KvPage {
  readonly entries: readonly { readonly key: string; readonly value: ValueView }[];
  readonly next: string | null;
}

export type Cell = string | number | boolean | null | { readonly hex: string };

export interface SqlPage {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  readonly rowCount: number;
  readonly offset: number;
  readonly rowsAffected: number;
  readonly tokens: { readonly toon: number; readonly json: number };
}

export interface PlanNode {
  readonly id: number;
  readonly parent: number;
  readonly detail: string;
  readonly children: readonly PlanNode[];
}

export interface Document {
  readonly id: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly content?: string;
  readonly vector?: readonly number[];
}

export interface Hit extends Document {
  readonly score: number;
  readonly distance?: number;
}

export interface Projection {
  readonly points: readonly { readonly id: string; readonly x: number; readonly y: number; readonly color: unknown }[];
  readonly explainedVariance: readonly [number, number];
  readonly colorField: string | null;
  readonly colors: readonly unknown[];
  readonly total: number;
}

export interface Attempt {
  readonly workerId: string;
  readonly claimedAt: number;
  readonly outcome: string;
  readonly endedAt?: number;
}

export interface Task {
  readonly taskId: string;
  readonly priority: number;
  readonly state: string;
  readonly attempts: number;
  readonly enqueuedAt: number;
  readonly visibleAt: number;
  readonly payload: ValueView;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly history: readonly Attempt[];
  readonly deadLetter?: Readonly<Record<string, unknown>>;
}

export interface GraphView {
  readonly root: string;
  readonly nodes: readonly { readonly id: string; readonly type: string; readonly properties: unknown; readonly depth: number }[];
  readonly edges: readonly { readonly fromId: string; readonly edgeType: string; readonly toId: string; readonly properties: unknown }[];
  readonly truncated: boolean;
}

export interface TemporalEdge {
  readonly fromId: string;
  readonly edgeType: string;
  readonly toId: string;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly properties: unknown;
}

export interface Timeline {
  readonly node: string;
  readonly versions: readonly TemporalEdge[];
  readonly times: readonly number[];
  readonly at?: number;
  readonly valid?: readonly TemporalEdge[];
}
