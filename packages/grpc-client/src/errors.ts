import type { Metadata, ServiceError, StatusObject, status as GrpcStatus } from '@grpc/grpc-js';
import * as core from '@sochdb/core';
import { AuthenticationError, ConnectionError, ProtocolError, SochDBError } from '@sochdb/core';
import * as graph from '@sochdb/graph';
import * as queue from '@sochdb/queue';
import * as temporal from '@sochdb/temporal';
import * as vector from '@sochdb/vector';
import { grpc } from './lazy-grpc.js';

/**
 * The standard gRPC status codes — grpc-js's `status` enum, as plain values so that mapping
 * errors does not load grpc-js.
 */
export const Status = {
  /** Success; never an error's status. */
  OK: 0,
  /** The call was cancelled; a client sees a ConnectionError. */
  CANCELLED: 1,
  /** Not sent by SochDB; a client sees a ProtocolError. */
  UNKNOWN: 2,
  /** A bad request: ValidationError, QueryError, ProtocolError, InvalidNamespaceNameError, CollectionConfigError. */
  INVALID_ARGUMENT: 3,
  /** The client's `timeoutMs` passed first; a client sees a ConnectionError (the call may still have run). */
  DEADLINE_EXCEEDED: 4,
  /** NotFoundError, NamespaceNotFoundError, CollectionNotFoundError. */
  NOT_FOUND: 5,
  /** NamespaceExistsError, CollectionExistsError, DuplicateTaskError. */
  ALREADY_EXISTS: 6,
  /** Not sent by SochDB (a wrong API key is UNAUTHENTICATED). */
  PERMISSION_DENIED: 7,
  /** Without SochDB metadata, a message over the channel's size limit: a client sees a ValidationError. */
  RESOURCE_EXHAUSTED: 8,
  /** The state forbids it: ConstraintError, TransactionError, TemporalOverlapError, QueueError. */
  FAILED_PRECONDITION: 9,
  /** TransactionConflictError: retrying the work may succeed. */
  ABORTED: 10,
  /** Not sent by SochDB. */
  OUT_OF_RANGE: 11,
  /** The server does not implement the method (an older server); a client sees a ProtocolError. */
  UNIMPLEMENTED: 12,
  /** Any error that is not a known SochDBError class (DatabaseError and unexpected failures). */
  INTERNAL: 13,
  /** LockError or ConnectionError; without SochDB metadata, the server is unreachable (a client's ConnectionError). */
  UNAVAILABLE: 14,
  /** CorruptTaskError: stored data could not be decoded. */
  DATA_LOSS: 15,
  /** AuthenticationError: the API key is missing or wrong. */
  UNAUTHENTICATED: 16,
} as const satisfies { readonly [K in keyof typeof GrpcStatus]: (typeof GrpcStatus)[K] };
type Status = GrpcStatus;
const STATUS_NAMES = new Map<number, string>(Object.entries(Status).map(([name, code]) => [code, name]));

/** A call to a server that requires an API key came without the right one (core's class, re-exported). */
export { AuthenticationError };

/** Trailing-metadata keys that carry a SochDBError across the wire beside the gRPC status. */
export const ERROR_METADATA = {
  /** The error's numeric SochDB code, as decimal text. */
  code: 'sochdb-code',
  /** The error's class name, which the client rebuilds it as (see {@link registerErrorClass}). */
  name: 'sochdb-error',
  /** The remediation hint, UTF-8 bytes (a binary header: it may hold any text); absent when the error has none. */
  remediation: 'sochdb-remediation-bin',
  /** The error's own data fields (`field`, `expected`, `taskId`, …) as UTF-8 JSON bytes; absent when it has none. */
  details: 'sochdb-details-bin',
} as const;

/** A SochDBError class, as `registerErrorClass` takes it. */
export type ErrorClass = abstract new (...args: never[]) => SochDBError;

// Checked in order, so a subclass must come before its base class (registered classes go first).
const STATUS_BY_CLASS: (readonly [ErrorClass, Status])[] = [
  [AuthenticationError, Status.UNAUTHENTICATED],
  [core.TransactionConflictError, Status.ABORTED],
  [core.NotFoundError, Status.NOT_FOUND],
  [core.NamespaceNotFoundError, Status.NOT_FOUND],
  [core.CollectionNotFoundError, Status.NOT_FOUND],
  [core.NamespaceExistsError, Status.ALREADY_EXISTS],
  [core.CollectionExistsError, Status.ALREADY_EXISTS],
  [queue.DuplicateTaskError, Status.ALREADY_EXISTS],
  [temporal.TemporalOverlapError, Status.FAILED_PRECONDITION],
  [core.ConstraintError, Status.FAILED_PRECONDITION],
  [core.ValidationError, Status.INVALID_ARGUMENT],
  [core.QueryError, Status.INVALID_ARGUMENT],
  [core.InvalidNamespaceNameError, Status.INVALID_ARGUMENT],
  [core.CollectionConfigError, Status.INVALID_ARGUMENT],
  [core.ProtocolError, Status.INVALID_ARGUMENT],
  [core.TransactionError, Status.FAILED_PRECONDITION],
  [queue.CorruptTaskError, Status.DATA_LOSS],
  [queue.QueueError, Status.FAILED_PRECONDITION],
  [core.LockError, Status.UNAVAILABLE],
  [core.ConnectionError, Status.UNAVAILABLE],
];

/** The gRPC status a SochDBError is reported with (INTERNAL for anything unexpected). */
export function grpcStatusOf(error: unknown): Status {
  for (const [Class, status] of STATUS_BY_CLASS) if (error instanceof Class) return status;
  return Status.INTERNAL;
}

/**
 * Server side: the status object for a failed call. The SochDB code, class name, remediation and
 * the error's own data fields (`field`, `expected`, `line`, `taskId`, …) ride in trailing
 * metadata so the client can rebuild the same error.
 *
 * @example
 * ```ts
 * // A grpc-js unary handler: the client's fromServiceError rethrows the same SochDBError class.
 * const Get: handleUnaryCall<KvGetRequest__Output, KvGetResponse> = (call, callback) => {
 *   serveGet(call.request).then((reply) => callback(null, reply), (error: unknown) => callback(toServiceStatus(error)));
 * };
 * ```
 */
export function toServiceStatus(error: unknown): Partial<StatusObject> {
  const metadata = new (grpc().Metadata)();
  const sochdb =
    error instanceof SochDBError
      ? error
      : new core.DatabaseError(`internal error: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  metadata.set(ERROR_METADATA.code, String(sochdb.code));
  metadata.set(ERROR_METADATA.name, sochdb.name);
  if (sochdb.remediation) metadata.set(ERROR_METADATA.remediation, Buffer.from(sochdb.remediation, 'utf8'));
  const details = dataFieldsOf(sochdb);
  if (Object.keys(details).length > 0) metadata.set(ERROR_METADATA.details, Buffer.from(JSON.stringify(details), 'utf8'));
  return { code: grpcStatusOf(sochdb), details: sochdb.message, metadata };
}

type Detail = string | number | boolean | null;

// The data an error class adds (field, expected, actual, line, column, table, taskId, …): own
// enumerable properties with plain values; code and remediation travel on their own.
function dataFieldsOf(error: SochDBError): Record<string, Detail> {
  const out: Record<string, Detail> = {};
  for (const [key, value] of Object.entries(error) as [string, unknown][]) {
    if (key === 'code' || key === 'remediation' || key === 'cause') continue;
    if (value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) out[key] = value;
  }
  return out;
}

// Every SochDBError class a server may throw, by class name.
const CLASSES = new Map<string, ErrorClass>(
  [core, graph, temporal, vector, queue, { AuthenticationError }]
    .flatMap((module) => Object.entries(module) as [string, unknown][])
    .filter((entry): entry is [string, ErrorClass] => typeof entry[1] === 'function' && entry[1].prototype instanceof SochDBError),
);

/**
 * Makes an error class defined outside the packages this one knows (core, graph, temporal,
 * vector, queue) travel like theirs: a server reports it with `status` (when given; otherwise
 * with its base class's status), and a client rebuilds it as that class instead of a plain
 * SochDBError. @sochdb/sdk registers its `TriggerAbort` (FAILED_PRECONDITION) this way. Errors are
 * matched by class name, so both ends must register the class.
 *
 * @example
 * ```ts
 * class QuotaExceededError extends QueryError {
 *   override readonly code = 5101 as const;
 * }
 * // In the server and in every client process (a module both import).
 * registerErrorClass(QuotaExceededError, GrpcStatus.RESOURCE_EXHAUSTED);
 * ```
 */
export function registerErrorClass(Class: ErrorClass, status?: Status): void {
  if (typeof Class !== 'function' || !(Class.prototype instanceof SochDBError)) {
    throw new core.ValidationError('registerErrorClass needs a subclass of SochDBError', { field: 'Class' });
  }
  CLASSES.set(Class.name, Class);
  if (status !== undefined && !STATUS_BY_CLASS.some(([known]) => known === Class)) STATUS_BY_CLASS.unshift([Class, status]);
}

/**
 * Client side: the SochDBError a failed call stands for. With SochDB metadata it is the same
 * class as on the server, with the same code, message, remediation and data fields; without it
 * (the server is unreachable, or the failure came from gRPC itself) a ConnectionError or
 * ProtocolError that says what to do.
 */
export function fromServiceError(error: ServiceError, address: string): SochDBError {
  const name = firstString(error.metadata, ERROR_METADATA.name);
  const code = Number(firstString(error.metadata, ERROR_METADATA.code));
  if (name !== undefined && Number.isInteger(code)) {
    const remediation = firstBuffer(error.metadata, ERROR_METADATA.remediation)?.toString('utf8');
    const detailsText = firstBuffer(error.metadata, ERROR_METADATA.details)?.toString('utf8');
    const details = detailsText === undefined ? {} : (JSON.parse(detailsText) as Record<string, Detail>);
    const Class = CLASSES.get(name);
    const rebuilt = rebuild(Class ?? SochDBError, error.details, code, remediation, details);
    // A class this process does not know: a SochDBError that still tells its server-side name.
    if (Class === undefined) Object.defineProperty(rebuilt, 'name', { value: name, configurable: true });
    return rebuilt;
  }
  // grpc-js types the code as its enum; Status holds the same values as plain numbers.
  const status: number = error.code;
  switch (status) {
    case Status.UNAVAILABLE:
      return new ConnectionError(`cannot reach the SochDB gRPC server at ${address}: ${error.details}`, {
        cause: error,
        remediation: `Check that sochdb-grpc-server is running and listening on ${address} (sochdb-grpc-server status --host … --port …), or fix the address.`,
      });
    case Status.DEADLINE_EXCEEDED:
      return new ConnectionError(`the call to ${address} timed out: ${error.details}`, {
        cause: error,
        remediation: 'Raise the client timeoutMs, or check the server load.',
      });
    case Status.CANCELLED:
      return new ConnectionError(`the call to ${address} was cancelled: ${error.details}`, { cause: error });
    case Status.RESOURCE_EXHAUSTED:
      return new core.ValidationError(`the request or its reply is too large for the gRPC channel: ${error.details}`, {
        cause: error,
        field: 'request',
        remediation: 'Send smaller batches, or raise the limit on both ends (sochdb-grpc-server --max-message-bytes, SochDBClient maxMessageBytes).',
      });
    case Status.UNAUTHENTICATED:
      return new AuthenticationError(error.details, { cause: error, remediation: 'Pass the server API key: new SochDBClient(address, { apiKey }).' });
    default:
      return new ProtocolError(`gRPC call to ${address} failed with status ${STATUS_NAMES.get(status) ?? status}: ${error.details}`, { cause: error });
  }
}

// Rebuilt without running the class's constructor: subclasses take different constructor
// arguments (DimensionMismatchError(expected, actual), ClaimLostError(taskId), …), and the
// message, code and data fields are exactly the server's anyway.
function rebuild(Class: ErrorClass, message: string, code: number, remediation: string | undefined, details: Record<string, Detail>): SochDBError {
  const error = Object.create(Class.prototype as object) as SochDBError;
  Object.defineProperties(error, {
    message: { value: message, writable: true, configurable: true },
    code: { value: code, enumerable: true },
    remediation: { value: remediation, enumerable: true },
  });
  for (const [key, value] of Object.entries(details)) Object.defineProperty(error, key, { value, enumerable: true });
  Error.captureStackTrace(error, fromServiceError);
  return error;
}

function firstString(metadata: Metadata | undefined, key: string): string | undefined {
  const value = metadata?.get(key)[0];
  return typeof value === 'string' ? value : undefined;
}

function firstBuffer(metadata: Metadata | undefined, key: string): Buffer | undefined {
  const value = metadata?.get(key)[0];
  return Buffer.isBuffer(value) ? value : undefined;
}
