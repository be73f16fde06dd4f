import { DatabaseError } from '@sochdb/sdk';

/**
 * A misuse of the Drizzle driver itself (COMMIT with no transaction open, a second BEGIN inside
 * one). Errors of the SQL statements are the engine's own typed errors (QueryError,
 * ConstraintError, TransactionConflictError…) and reach the caller unchanged.
 */
export class SochDBDrizzleError extends DatabaseError {}
