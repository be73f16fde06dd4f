/** What every SochDB error constructor accepts besides its message. */
export interface SochDBErrorOptions {
  /** The lower-level error this one wraps (a LevelDB, socket or driver error); becomes `error.cause`. */
  readonly cause?: unknown;
  /** One sentence telling the caller what to do next; becomes `error.remediation`. */
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
 *
 * Catch a base class to handle a whole family (`LockError`, `QueryError`, `ValidationError`), a
 * subclass for one case. Errors a SochDB server sends (over IPC or gRPC) are rebuilt on the client
 * as the same class when the client knows it, with the same `code` and `remediation`.
 */
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
  /**
   * What the caller (or the person reading the log) should do next, when the thrower knows:
   * e.g. "Retry the whole transaction; nothing of it was written.". `undefined` when it has no advice.
   */
  readonly remediation: string | undefined;

  constructor(message: string, options: SochDBErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.remediation = options.remediation;
  }

  /**
   * The class name (`'TransactionConflictError'`), also for classes that extend these, so logs and
   * `String(error)` name the precise error without each class setting `name`.
   */
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
/**
 * The connection to a server failed: a SochDB server's socket (or a shared database's owner) could
 * not be reached, timed out or dropped, a gRPC call failed to reach the server, timed out or was
 * cancelled, the PostgreSQL connection or its TLS failed, or the client was already closed. A
 * request in flight may or may not have been applied: reconnect, and retry only what is safe to repeat.
 */
export class ConnectionError extends SochDBError {
  override readonly code: 1001 | 1002 | OtherErrorCode = 1001;
}
/** The server refused the credentials (an API key, a database password): fix them, do not retry. */
export class AuthenticationError extends ConnectionError {
  override readonly code = 1002 as const;
}
/**
 * The other end sent something this side cannot use (a malformed frame or reply, an unknown opcode),
 * or lacks the capability asked for (a server that runs no SQL, provides no such service). Usually
 * a client and server of different releases: upgrade them together; retrying will not help. The
 * IPC client also uses it for a server error it cannot rebuild, keeping the server's `code`.
 */
export class ProtocolError extends SochDBError {
  override readonly code = 1004 as const;
}

// ── 2xxx: transactions ──────────────────────────────────────────────────────────────────────
/**
 * A transaction was used in a state that forbids the call: after it committed or aborted, writing
 * in a read-only one, aborting while commit() settles, restoring another transaction's savepoint,
 * or, over IPC, beyond the server's open-transaction limit or after it expired for idleness. A bug
 * in the caller's flow, not a race: begin a new transaction. Conflicts are `TransactionConflictError`.
 */
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
/**
 * `db.namespace(name)` or `db.deleteNamespace(name)` named a namespace that was never created (or was
 * deleted): create it with `db.createNamespace`, or use `db.getOrCreateNamespace`.
 */
export class NamespaceNotFoundError extends SochDBError {
  override readonly code = 3001 as const;
}
/** `db.createNamespace` named an existing namespace: open it instead, or pass `existOk: true`. */
export class NamespaceExistsError extends SochDBError {
  override readonly code = 3002 as const;
}
/**
 * A namespace name is not 1–128 letters, digits, `_`, `-` or `.` starting with a letter or digit, or
 * one of its labels is not a string: fix the name or label; nothing was created.
 */
export class InvalidNamespaceNameError extends SochDBError {
  override readonly code = 3003 as const;
}

// ── 4xxx: collections ───────────────────────────────────────────────────────────────────────
/**
 * A collection was opened or deleted that does not exist in that namespace: create it first
 * (`ns.createCollection`), or check the namespace and name.
 */
export class CollectionNotFoundError extends SochDBError {
  override readonly code = 4001 as const;
}
/**
 * A collection was created that already exists in that namespace: open it instead, pass
 * `existOk: true`, or delete it first.
 */
export class CollectionExistsError extends SochDBError {
  override readonly code = 4002 as const;
}
/**
 * A collection's config is invalid (its `cause` is the ValidationError naming the setting), or an
 * existing collection was opened with settings (dimension, metric, …) other than its stored ones:
 * fix the config, open it with its own settings, or use another name.
 */
export class CollectionConfigError extends SochDBError {
  override readonly code = 4003 as const;
}

// ── 5xxx: queries (SQL syntax and semantics) ────────────────────────────────────────────────
export interface QueryErrorOptions extends SochDBErrorOptions {
  /** 1-based line and column of the offending token, when known. */
  readonly line?: number;
  /** 1-based column of the offending token on `line`, when known. */
  readonly column?: number;
}
/**
 * A SQL statement parsed but cannot run: an unknown function or table-valued function, a wrong
 * number or kind of arguments or bound parameters, a misplaced aggregate or window function, an
 * unsupported statement form. Running the same SQL again fails the same way: fix the statement.
 * Its subclasses narrow it (syntax, missing table or column, constraint).
 */
export class QueryError extends SochDBError {
  override readonly code: QueryErrorCode = 5001;
  /** 1-based line of the offending token in the SQL text; `undefined` when the error is not tied to one. */
  readonly line: number | undefined;
  /** 1-based column of the offending token on `line`; `undefined` when unknown. */
  readonly column: number | undefined;
  constructor(message: string, options: QueryErrorOptions = {}) {
    super(message, options);
    this.line = options.line;
    this.column = options.column;
  }
}
/** A constraint (NOT NULL, UNIQUE, PRIMARY KEY, CHECK, FOREIGN KEY) refused a write. */
export interface ConstraintErrorOptions extends SochDBErrorOptions {
  /** The table written to. */
  readonly table?: string;
  /** The column(s) the constraint covers, comma-separated for a multi-column UNIQUE. */
  readonly columnName?: string;
  /** e.g. 'NOT NULL', 'UNIQUE', 'PRIMARY KEY', 'CHECK', 'FOREIGN KEY', or a constraint's name. */
  readonly constraint?: string;
}
/**
 * A write broke a constraint (NOT NULL, UNIQUE, PRIMARY KEY, CHECK, FOREIGN KEY), a non-integer went
 * into an INTEGER PRIMARY KEY, or a trigger's `RAISE(ABORT | FAIL | ROLLBACK, …)` refused the change
 * (`constraint` is then `'TRIGGER'`). Change the data, not the statement; `table`, `columnName` and
 * `constraint` say what refused it.
 */
export class ConstraintError extends QueryError {
  override readonly code = 5002 as const;
  /** The table the refused write was to; `undefined` when the thrower did not say. */
  readonly table: string | undefined;
  /** The column(s) the constraint covers (comma-separated for a multi-column key); `undefined` for a table-level CHECK or trigger. */
  readonly columnName: string | undefined;
  /** `'NOT NULL'`, `'UNIQUE'`, `'PRIMARY KEY'`, `'CHECK'`, `'FOREIGN KEY'`, `'TRIGGER'`, or a constraint's name. */
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
/**
 * An argument, option or input record is invalid (wrong type, out of range, a malformed key, TOON
 * or JSON, an unknown option); `field` names it when there is one. Fix the input: retrying the same
 * call fails the same way.
 */
export class ValidationError extends SochDBError {
  override readonly code: ValidationErrorCode = 6000;
  /** Dotted path of the offending field (`syncMode`, `vectors[3]`); `undefined` when the whole value is wrong. */
  readonly field: string | undefined;
  constructor(message: string, options: ValidationErrorOptions = {}) {
    super(message, options);
    this.field = options.field;
  }
}
/**
 * A vector's length differs from its collection's or index's dimension (a vector to store or to
 * search with, or a bulk import's rows): pass vectors of exactly `expected` numbers.
 */
export class DimensionMismatchError extends ValidationError {
  override readonly code = 6001 as const;
  /** The dimension the collection or index was created with. */
  readonly expected: number;
  /** The length of the vector that was passed. */
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
  /** 0-based character position in the TOON text where parsing failed (also appended to `message`). */
  readonly offset: number;
  constructor(message: string, offset: number, options: ValidationErrorOptions = {}) {
    super(`${message} (at offset ${offset})`, options);
    this.offset = offset;
  }
}

// ── 9xxx: database ──────────────────────────────────────────────────────────────────────────
/**
 * The storage failed or cannot be used: the database is closed or not open yet, there is no database
 * at the path (without `createIfMissing`), its metadata is not SochDB's, the backend refused a commit
 * (nothing applied), an after-commit hook failed (the commit did apply), an iterator or snapshot was
 * used after closing, or a backend failed unexpectedly (`cause` holds its error). Catch-all for
 * storage failures; reopening is usually needed.
 */
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
/**
 * Base class of the locking and ownership errors (10xxx); SochDB throws only its subclasses. Catch
 * it to handle every "someone else holds this database" case in one place.
 */
export class LockError extends SochDBError {
  override readonly code: 10000 | 10001 | 10002 | 10003 | 10004 | OtherErrorCode = 10000;
}
/**
 * Opening a database folder that another process, or another open handle in this process, holds
 * (LevelDB allows one): close the other handle, or open it with `Database.openConcurrent()` to share it.
 */
export class DatabaseLockedError extends LockError {
  override readonly code = 10001 as const;
}
/**
 * `Database.openConcurrent()` could neither open the folder nor reach the process that owns it within
 * `lockTimeoutMs` (default 10 000 ms): check which process holds the folder, or raise `lockTimeoutMs`.
 */
export class LockTimeoutError extends LockError {
  override readonly code = 10002 as const;
}
/**
 * An owner acted with an ownership epoch that is no longer current (another process has taken the
 * database over since). Reserved: no SochDB package throws it in this release; catch `LockError`.
 */
export class EpochMismatchError extends LockError {
  override readonly code = 10003 as const;
}
/**
 * Two processes both believe they own the same database. Reserved: no SochDB package throws it in
 * this release; catch `LockError`.
 */
export class SplitBrainError extends LockError {
  override readonly code = 10004 as const;
}

// ── codes ────────────────────────────────────────────────────────────────────────────────────
// Every code SochDB uses, by class (the packages' own classes included: QueueError 7000–7004,
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
/** The queue's errors (QueueError 7000, ClaimLostError 7001, CorruptTaskError 7003, TaskClaimedError 7004). */
export type QueueErrorCode = 7000 | 7001 | 7003 | 7004 | OtherErrorCode;
/**
 * Every code a SochDB error can carry: the type of `SochDBError.code`, which each class narrows to its
 * own family's codes. See `@sochdb/errors`' README for the table.
 */
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
