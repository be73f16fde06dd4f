import { AuthenticationError, ConnectionError, DatabaseError, DatabaseNotFoundError, SochDBError, TransactionConflictError } from '@sochdb/core';

/** What the failed request was, for the message and for whether it may have applied. */
export interface FailedRequest {
  /** e.g. 'commit', 'get', 'connect'. */
  readonly what: string;
  /** The server location without a password. */
  readonly server: string;
  /**
   * The request was a commit already sent: if the connection broke, it may or may not have
   * applied, and the error says so.
   */
  readonly inDoubt?: boolean;
}

/** Node's TLS verification failures: the server is reachable, its certificate is not trusted. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH']);

/**
 * Turns what the `pg` driver throws into SochDB's typed errors. PostgreSQL's SQLSTATE decides:
 * 40001/40P01 (serialization failure, deadlock) are conflicts a retry resolves; 28xxx is bad
 * credentials; 3D000 a missing database; 08xxx, 57Pxx and socket errors a lost connection.
 */
export function toSochDBError(error: unknown, request: FailedRequest): SochDBError {
  if (error instanceof SochDBError) return error;
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === '40001' || code === '40P01') {
    return new TransactionConflictError(`transaction conflict reported by the server during ${request.what}: ${message}`, { cause: error });
  }
  if (code === '28P01' || code === '28000') {
    return new AuthenticationError(`the PostgreSQL server at ${request.server} refused the credentials: ${message}`, {
      cause: error,
      remediation: "Check the user and password in the URL (postgres://user:password@host/database) and the server's pg_hba.conf.",
    });
  }
  if (code === '3D000') {
    return new DatabaseNotFoundError(`${message} (server ${request.server})`, {
      cause: error,
      remediation: 'Create it first (CREATE DATABASE name), or fix the database name in the URL.',
    });
  }
  if ((code !== undefined && TLS_CODES.has(code)) || /does not support SSL|self[- ]signed certificate|certificate/i.test(message)) {
    return new ConnectionError(`could not open a trusted TLS connection to the PostgreSQL server at ${request.server}: ${message}`, {
      cause: error,
      remediation:
        "Give the server's CA certificate as ssl.ca (and ssl.servername if the URL's host is not the certificate's name), or turn TLS on in the server (ssl=on).",
    });
  }
  const lost =
    (code !== undefined && (CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('57P') || code === '53300')) ||
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(message);
  if (lost) {
    const outcome = request.inDoubt ? ' It may or may not have applied: read the data back before retrying it.' : '';
    return new ConnectionError(`lost the connection to the PostgreSQL server at ${request.server} during ${request.what}: ${message}.${outcome}`, {
      cause: error,
      remediation: request.inDoubt
        ? 'Check whether the write landed, then retry if it did not.'
        : 'Retry once the server is reachable again; the storage reconnects by itself.',
    });
  }
  return new DatabaseError(`PostgreSQL ${request.what} failed${code ? ` (SQLSTATE ${code})` : ''}: ${message}`, { cause: error });
}

/** The `code` the driver puts on an error: a SQLSTATE from the server, or a socket errno name. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
