/**
 * Every error SochDB throws is a `SochDBError` with a stable numeric `code`. Codes never change
 * once published, so callers may switch on them (`code` is typed as the literal codes a class
 * and its subclasses use, so TypeScript narrows on it); `remediation` says what to do next.
 *
 * Code ranges: 1xxx connection/protocol, 2xxx transactions, 3xxx namespaces, 4xxx collections,
 * 5xxx query/SQL, 6xxx validation, 7xxx queue, 8xxx graph, 9xxx database, 10xxx locking.
 *
 * `instanceof` works across copies of this package (two versions installed side by side, when
 * one SochDB package is upgraded on its own): every SochDB error carries the registered symbol
 * `Symbol.for('sochdb.error')`, and each class's `instanceof` (and its static `is()`) accepts a
 * branded error whose class chain has a class of the same name.
 */
export interface SochDBErrorOptions {
  readonly cause?: unknown;
  readonly remediation?: string;
}

/** Marks every SochDB error, whichever copy of this package made it. */
export const SOCHDB_ERROR = Symbol.for('sochdb.error');

/** The names of the classes an object was made by, most derived first. */
function classNames(value: object): string[] {
  const names: string[] = [];
  for (let proto: unknown = Object.getPrototypeOf(value); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const ctor = (proto as { constructor?: { name?: unknown } }).constructor;
    if (typeof ctor?.name === 'string') names.push(ctor.name);
  }
  return names;
}

/** Whether `value` is an instance of `cls`, or a SochDB error of a class of the same name from another copy. */
function isInstance(cls: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  return (value as { [SOCHDB_ERROR]?: unknown })[SOCHDB_ERROR] === true && classNames(value).includes(cls.name);
}

export class SochDBError extends Error {
  /**
   * Stable numeric code; see the table in @sochdb/core's README.
   *
   * @example
   * ```ts
   * function httpStatusOf(error: unknown): number {
   *   if (!(error instanceof SochDBError)) return 500;
   *   if (error.code === 2002) return 409; // a transaction conflict: the client may retry
   *   if (error.code === 3001 || error.code === 4001 || error.code === 9004) return 404;
   *   return error.code >= 6000 && error.code < 7000 ? 400 : 500; // 6xxx: invalid input
   * }
   * ```
   */
  readonly code: SochDBErrorCode = 9000;
  readonly remediation: string | undefined;

  constructor(message: string, options: SochDBErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.remediation = options.remediation;
  }

  override get name(): string {
    return this.constructor.name;
  }

  /**
   * `error instanceof ValidationError` holds for a ValidationError made by another installed copy
   * of @sochdb/errors too (see the file comment).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, value);
  }

  /**
   * Whether `value` is an error of this class (or a subclass), from any installed copy, typed:
   * `if (ValidationError.is(e)) console.log(e.field)`.
   *
   * @example
   * ```ts
   * try {
   *   await db.execute('INSERT INTO users (id, email) VALUES (?, ?)', [1, 'alice@example.com']);
   * } catch (error) {
   *   if (!ConstraintError.is(error)) throw error;
   *   console.error(`${error.constraint} refused ${error.table}.${error.columnName}: ${error.remediation}`);
   * }
   * ```
   */
  static is<T extends SochDBError>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    return isInstance(this, value);
  }
}
Object.defineProperty(SochDBError.prototype, SOCHDB_ERROR, { value: true });

// ── 1xxx: connection and wire protocol ──────────────────────────────────────────────────────
export class ConnectionError extends SochDBError {
  override readonly code: 1001 | 1002 | OtherErrorCode = 1001;
}
/** The server refused the credentials (an API key, a database password): fix them, do not retry. */
export class AuthenticationError extends ConnectionError {
  override readonly code = 1002 as const;
}
export class ProtocolError extends SochDBError {
  override readonly code = 1004 as const;
}

// ── 2xxx: transactions ──────────────────────────────────────────────────────────────────────
export class TransactionError extends SochDBError {
  override readonly code: 2001 | 2002 | OtherErrorCode = 2001;
}
/**
 * Another transaction committed a key this one wrote after this one's snapshot was taken.
 *
 * @example
 * ```ts
 * try {
 *   // `retries` re-runs the function on a fresh snapshot after each conflict.
 *   await db.transaction(async (txn) => txn.put('stock:42', '9'), { retries: 3 });
 * } catch (error) {
 *   if (!(error instanceof TransactionConflictError)) throw error;
 *   console.warn('still contended after 3 retries; nothing was written');
 * }
 * ```
 */
export class TransactionConflictError extends TransactionError {
  override readonly code = 2002 as const;
  constructor(
    message = 'transaction conflict: a key written by this transaction was committed by another transaction after this one began',
    options: SochDBErrorOptions = {},
  ) {
    super(message, { remediation: 'Retry the whole transaction; nothing of it was written.', ...options });
  }
}

// ── 3xxx: namespaces ────────────────────────────────────────────────────────────────────────
export class NamespaceNotFoundError extends SochDBError {
  override readonly code = 3001 as const;
}
export class NamespaceExistsError extends SochDBError {
  override readonly code = 3002 as const;
}
export class InvalidNamespaceNameError extends SochDBError {
  override readonly code = 3003 as const;
}

// ── 4xxx: collections ───────────────────────────────────────────────────────────────────────
export class CollectionNotFoundError extends SochDBError {
  override readonly code = 4001 as const;
}
export class CollectionExistsError extends SochDBError {
  override readonly code = 4002 as const;
}
export class CollectionConfigError extends SochDBError {
  override readonly code = 4003 as const;
}

// ── 5xxx: queries (SQL syntax and semantics) ────────────────────────────────────────────────
export interface QueryErrorOptions extends SochDBErrorOptions {
  /** 1-based line and column of the offending token, when known. */
  readonly line?: number;
  readonly column?: number;
}
export class QueryError extends SochDBError {
  override readonly code: QueryErrorCode = 5001;
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
  override readonly code = 5002 as const;
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

/**
 * SQL that does not parse: `line` and `column` point at the offending token.
 *
 * @example
 * ```ts
 * try {
 *   await db.execute('SELEC * FROM users');
 * } catch (error) {
 *   if (!(error instanceof SqlSyntaxError)) throw error;
 *   console.error(`${error.message} (line ${error.line}, column ${error.column})`);
 * }
 * ```
 */
export class SqlSyntaxError extends QueryError {
  override readonly code = 5004 as const;
}
/** A statement names a table (or view) that does not exist. */
export class NoSuchTableError extends QueryError {
  override readonly code = 5005 as const;
}
/** A statement names a column that none of its tables has. */
export class NoSuchColumnError extends QueryError {
  override readonly code = 5006 as const;
}

// ── 6xxx: validation of arguments and data ──────────────────────────────────────────────────
export interface ValidationErrorOptions extends SochDBErrorOptions {
  /** Dotted path of the offending field, e.g. `syncMode` or `vectors[3]`. */
  readonly field?: string;
}
export class ValidationError extends SochDBError {
  override readonly code: ValidationErrorCode = 6000;
  readonly field: string | undefined;
  constructor(message: string, options: ValidationErrorOptions = {}) {
    super(message, options);
    this.field = options.field;
  }
}
export class DimensionMismatchError extends ValidationError {
  override readonly code = 6001 as const;
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
  override readonly code = 6002 as const;
  readonly offset: number;
  constructor(message: string, offset: number, options: ValidationErrorOptions = {}) {
    super(`${message} (at offset ${offset})`, options);
    this.offset = offset;
  }
}

// ── 9xxx: database ──────────────────────────────────────────────────────────────────────────
export class DatabaseError extends SochDBError {
  override readonly code: DatabaseErrorCode = 9003;
}
/** A named thing (node, task, document, key-addressed record) does not exist. */
export class NotFoundError extends SochDBError {
  override readonly code: NotFoundErrorCode = 9004;
}
/**
 * The commit feed cannot serve the commits asked for (they are older than what it keeps, or from
 * before the storage was opened): whatever the reader keeps in memory must be reloaded.
 */
export class ChangeFeedGapError extends DatabaseError {
  override readonly code = 9005 as const;
}
/** The database a storage was pointed at (a PostgreSQL database, say) does not exist. */
export class DatabaseNotFoundError extends DatabaseError {
  override readonly code = 9006 as const;
}
/**
 * A native addon (hnswlib-node, classic-level) did not build or load on this machine: its
 * remediation says what the install needs.
 */
export class NativeAddonError extends DatabaseError {
  override readonly code = 9007 as const;
}

// ── 10xxx: locking and ownership ────────────────────────────────────────────────────────────
export class LockError extends SochDBError {
  override readonly code: 10000 | 10001 | 10002 | 10003 | 10004 | OtherErrorCode = 10000;
}
export class DatabaseLockedError extends LockError {
  override readonly code = 10001 as const;
}
export class LockTimeoutError extends LockError {
  override readonly code = 10002 as const;
}
export class EpochMismatchError extends LockError {
  override readonly code = 10003 as const;
}
export class SplitBrainError extends LockError {
  override readonly code = 10004 as const;
}

// ── codes ────────────────────────────────────────────────────────────────────────────────────
// Every code SochDB uses, by class (the packages' own classes included: QueueError 7000–7003,
// graph 8001, temporal 8101–8102, vector's file format 6101, SQL triggers' 5003), so that `code`
// narrows: a class with no subclasses has its one literal code, a base class the union of its
// family's. A new SochDB class takes a new code and adds it here.
/**
 * The code of an error class defined outside SochDB that extends one of its classes (a plugin's
 * veto, say): any number, best outside SochDB's ranges. `number & {}` keeps the known codes
 * offered by editors beside it.
 */
export type OtherErrorCode = number & {};
/** QueryError and its subclasses (ConstraintError 5002, trigger RAISE 5003, SqlSyntaxError 5004, NoSuchTableError 5005, NoSuchColumnError 5006). */
export type QueryErrorCode = 5001 | 5002 | 5003 | 5004 | 5005 | 5006 | OtherErrorCode;
/** ValidationError and its subclasses (6001 dimensions, 6002 TOON text, 6101 vector files, 7002 duplicate task, 8102 temporal overlap). */
export type ValidationErrorCode = 6000 | 6001 | 6002 | 6101 | 7002 | 8102 | OtherErrorCode;
/** DatabaseError and its subclasses (9005 commit feed gap, 9006 database not found, 9007 native addon). */
export type DatabaseErrorCode = 9003 | 9005 | 9006 | 9007 | OtherErrorCode;
/** NotFoundError and its subclasses (8001 graph node, 8101 temporal edge). */
export type NotFoundErrorCode = 9004 | 8001 | 8101 | OtherErrorCode;
/** The queue's errors (QueueError 7000, ClaimLostError 7001, CorruptTaskError 7003). */
export type QueueErrorCode = 7000 | 7001 | 7003 | OtherErrorCode;
export type SochDBErrorCode =
  | 1001
  | 1002
  | 1004
  | 2001
  | 2002
  | 3001
  | 3002
  | 3003
  | 4001
  | 4002
  | 4003
  | QueryErrorCode
  | ValidationErrorCode
  | QueueErrorCode
  | DatabaseErrorCode
  | NotFoundErrorCode
  | 9000
  | 10000
  | 10001
  | 10002
  | 10003
  | 10004
  | OtherErrorCode;
