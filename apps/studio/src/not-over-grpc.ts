// What a sochdb-grpc-server cannot give the studio: its API has no such call (EXPLAIN, storage
// counters, listing a collection's documents or a queue's tasks, moving a task between queues in
// one transaction). A typed error with a stable code, so the UI and scripts can tell "not here"
// from "failed".
import { SochDBError } from '@sochdb/sdk';

/** The operation is not available over gRPC (code 9100; HTTP 501). */
export class NotOverGrpcError extends SochDBError {
  override readonly code = 9100 as const;
}

/** The refusal of `what` (e.g. 'EXPLAIN') over gRPC. */
export function notOverGrpc(what: string): NotOverGrpcError {
  return new NotOverGrpcError(`${what} is not available over gRPC: sochdb-grpc-server has no call for it`, {
    remediation: 'Open the database folder itself (sochdb-studio <folder>) for this.',
  });
}
