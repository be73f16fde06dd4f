/**
 * Every error SochDB throws is a `SochDBError` with a stable numeric `code`. Codes never change
 * once published, so callers may switch on them; `remediation` says what to do next.
 *
 * Code ranges: 1xxx connection/protocol, 2xxx transactions, 3xxx namespaces, 4xxx collections,
 * 5xxx query/SQL, 6xxx validation, 7xxx queue, 8xxx graph, 9xxx database, 10xxx locking.
 */
export interface SochDBErrorOptions {
  readonly cause?: unknown;
  readonly remediation?: string;
}

export class SochDBError extends Error {
  /** Stable numeric code; see the table in @sochdb/core's README. */
  readonly code: number = 9000;
  readonly remediation: string | undefined;

  constructor(message: string, options: SochDBErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.remediation = options.remediation;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

// ── 1xxx: connection and wire protocol ──────────────────────────────────────────────────────
export class ConnectionError extends SochDBError {
  override readonly code: number = 1001;
}
/** The server refused the credentials (an API key, a database password): fix them, do not retry. */
export class AuthenticationError extends ConnectionError {
  override readonly code: number = 1002;
}
export class ProtocolError extends SochDBError {
  override readonly code: number = 1004;
}

// ── 2xxx: transactions ──────────────────────────────────────────────────────────────────────
export class TransactionError extends SochDBError {
  override readonly code: number = 2001;
}
/** Another transaction committed a key this one wrote after this one's snapshot was taken. */
export class TransactionConflictError extends TransactionError {
  override readonly code: number = 2002;
  constructor(
    message = 'transaction conflict: a key written by this transaction was committed by another transaction after this one began',
    options: SochDBErrorOptions = {},
  ) {
    super(message, { remediation: 'Retry the whole transaction; nothing of it was written.', ...options });
  }
}

// ── 3xxx: namespaces ────────────────────────────────────────────────────────────────────────
export class NamespaceNotFoundError extends SochDBError {
  override readonly code: number = 3001;
}
export class NamespaceExistsError extends SochDBError {
  override readonly code: number = 3002;
}
export class InvalidNamespaceNameError extends SochDBError {
  override readonly code: number = 3003;
}

// ── 4xxx: collections ───────────────────────────────────────────────────────────────────────
export class CollectionNotFoundError extends SochDBError {
  override readonly code: number = 4001;
}
export class CollectionExistsError extends SochDBError {
  override readonly code: number = 4002;
}
export class CollectionConfigError extends SochDBError {
  override readonly code: number = 4003;
}

// ── 5xxx: queries (SQL syntax and semantics) ────────────────────────────────────────────────
export interface QueryErrorOptions extends SochDBErrorOptions {
  /** 1-based line and column of the offending token, when known. */
  readonly line?: number;
  readonly column?: number;
}
export class QueryError extends SochDBError {
  override readonly code: number = 5001;
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, options: QueryErrorOptions = {}) {
    super(message, options);
    this.line = options.line;
    this.column = options.column;
  }
}
/** A constraint (NOT NULL, UNIQUE, PRIMARY KEY, CHECK, FOREIGN KEY) refused a write. */
export interface ConstraintErrorOptions extends SochDBErrorOptions {
  readonly table?: string;
  readonly columnName?: string;
  /** e.g. 'NOT NULL', 'UNIQUE', 'PRIMARY KEY', 'CHECK', 'FOREIGN KEY', or a constraint's name. */
  readonly constraint?: string;
}
export class ConstraintError extends QueryError {
  override readonly code: number = 5002;
  readonly table: string | undefined;
  readonly columnName: string | undefined;
  readonly constraint: string | undefined;
  constructor(message: string, options: ConstraintErrorOptions = {}) {
    super(message, options);
    this.table = options.table;
    this.columnName = options.columnName;
    this.constraint = options.constraint;
  }
}

// ── 6xxx: validation of arguments and data ──────────────────────────────────────────────────
export interface ValidationErrorOptions extends SochDBErrorOptions {
  /** Dotted path of the offending field, e.g. `syncMode` or `vectors[3]`. */
  readonly field?: string;
}
export class ValidationError extends SochDBError {
  override readonly code: number = 6000;
  readonly field: string | undefined;
  constructor(message: string, options: ValidationErrorOptions = {}) {
    super(message, options);
    this.field = options.field;
  }
}
export class DimensionMismatchError extends ValidationError {
  override readonly code: number = 6001;
  readonly expected: number;
  readonly actual: number;
  constructor(expected: number, actual: number, options: ValidationErrorOptions = {}) {
    super(`vector dimension mismatch: expected ${expected}, got ${actual}`, {
      remediation: `Pass vectors of exactly ${expected} numbers.`,
      ...options,
    });
    this.expected = expected;
    this.actual = actual;
  }
}
/** Malformed TOON text; `offset` is the 0-based character position where parsing failed. */
export class ToonParseError extends ValidationError {
  override readonly code: number = 6002;
  readonly offset: number;
  constructor(message: string, offset: number, options: ValidationErrorOptions = {}) {
    super(`${message} (at offset ${offset})`, options);
    this.offset = offset;
  }
}

// ── 9xxx: database ──────────────────────────────────────────────────────────────────────────
export class DatabaseError extends SochDBError {
  override readonly code: number = 9003;
}
/** A named thing (node, task, document, key-addressed record) does not exist. */
export class NotFoundError extends SochDBError {
  override readonly code: number = 9004;
}
/**
 * The commit feed cannot serve the commits asked for (they are older than what it keeps, or from
 * before the storage was opened): whatever the reader keeps in memory must be reloaded.
 */
export class ChangeFeedGapError extends DatabaseError {
  override readonly code: number = 9005;
}
/** The database a storage was pointed at (a PostgreSQL database, say) does not exist. */
export class DatabaseNotFoundError extends DatabaseError {
  override readonly code: number = 9006;
}

// ── 10xxx: locking and ownership ────────────────────────────────────────────────────────────
export class LockError extends SochDBError {
  override readonly code: number = 10000;
}
export class DatabaseLockedError extends LockError {
  override readonly code: number = 10001;
}
export class LockTimeoutError extends LockError {
  override readonly code: number = 10002;
}
export class EpochMismatchError extends LockError {
  override readonly code: number = 10003;
}
export class SplitBrainError extends LockError {
  override readonly code: number = 10004;
}
