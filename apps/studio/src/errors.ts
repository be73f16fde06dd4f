// Every error the API answers with is a SochDB error, as JSON `{ error: { code, name, message, … } }`
// with an HTTP status that fits its class, so the UI can switch on the same stable codes as code
// using the SDK does.
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { NotOverGrpcError } from './not-over-grpc.js';
import {
  AuthenticationError,
  CollectionExistsError,
  CollectionNotFoundError,
  LockError,
  NamespaceExistsError,
  NamespaceNotFoundError,
  NotFoundError,
  QueryError,
  QueueError,
  SochDBError,
  TransactionError,
  ValidationError,
} from '@sochdb/sdk';

/** The JSON body of every error answer. */
export interface ErrorBody {
  readonly error: {
    /** The SochDB error code (see @sochdb/core's README); 9000 for an unexpected error. */
    readonly code: number;
    /** The error's class name, e.g. `SqlSyntaxError`. */
    readonly name: string;
    readonly message: string;
    /** The offending field, for a ValidationError that names one (`limit`, `body.sql`, …). */
    readonly field?: string;
    /** 1-based line and column in the SQL text, for a QueryError that knows them. */
    readonly line?: number;
    readonly column?: number;
    /** What to do next, when the error says. */
    readonly remediation?: string;
  };
}

/** The HTTP status for `error`: 401, 403 (read-only), 501 (not over gRPC), 404, 409, 400 for bad input, else 500. */
export function statusOf(error: unknown): ContentfulStatusCode {
  if (error instanceof AuthenticationError) return 401;
  if (error instanceof ReadOnlyError) return 403;
  if (error instanceof NotOverGrpcError) return 501;
  if (error instanceof NamespaceNotFoundError || error instanceof CollectionNotFoundError || error instanceof NotFoundError) return 404;
  if (error instanceof TransactionError || error instanceof NamespaceExistsError || error instanceof CollectionExistsError) return 409;
  if (error instanceof QueueError || error instanceof LockError) return 409;
  if (error instanceof ValidationError || error instanceof QueryError) return 400;
  return 500;
}

/**
 * The studio refusing a change because it was started without `write`. A TransactionError (code
 * 2001) like the one a read-only transaction throws, so a refused SQL write and a refused KV put
 * carry the same code; answered with 403.
 */
export class ReadOnlyError extends TransactionError {}

/** The read-only refusal for `what` (e.g. 'PUT /api/kv'). */
export function readOnlyError(what: string): ReadOnlyError {
  return new ReadOnlyError(`${what} changes the database, and this studio is read-only`, {
    remediation: 'Start the studio with --write (startStudio({ write: true })) to allow changes.',
  });
}

/** `error` as the API's JSON body; anything that is not a SochDB error is reported as code 9000. */
export function errorBody(error: unknown): ErrorBody {
  if (!(error instanceof SochDBError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { error: { code: 9000, name: 'SochDBError', message } };
  }
  const body: { -readonly [K in keyof ErrorBody['error']]: ErrorBody['error'][K] } = { code: error.code, name: error.name, message: error.message };
  if (error instanceof ValidationError && error.field !== undefined) body.field = error.field;
  if (error instanceof QueryError) {
    if (error.line !== undefined) body.line = error.line;
    if (error.column !== undefined) body.column = error.column;
  }
  if (error.remediation !== undefined) body.remediation = error.remediation;
  return { error: body };
}

/** Answers `error` as JSON with its status. */
export function errorResponse(c: Context, error: unknown, status: ContentfulStatusCode = statusOf(error)): Response {
  return c.json(errorBody(error), status);
}

/** Middleware answering 403 (see ReadOnlyError) before anything else runs, unless the studio may write. */
export function requireWrite(write: boolean, what: string): MiddlewareHandler {
  return async (c, next) => {
    if (!write) return errorResponse(c, readOnlyError(what));
    await next();
    return undefined;
  };
}
