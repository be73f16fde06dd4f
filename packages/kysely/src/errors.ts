import { DatabaseError } from '@sochdb/sdk';

/**
 * A misuse of the Kysely dialect itself (a query on a destroyed dialect, a stream of a statement
 * that is not a SELECT). Errors of the SQL statements themselves are the engine's own typed
 * errors (QueryError, ConstraintError, TransactionConflictError…) and reach the caller unchanged.
 */
export class SochDBKyselyError extends DatabaseError {}
