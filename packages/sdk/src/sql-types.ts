import type { SqlEngine } from '@sochdb/sql';

// Derived from the engine so the SDK's SQL surface is exactly @sochdb/sql's.
export type SqlParams = Parameters<SqlEngine['execute']>[1];
/** The options of `execute`/`executeSql`: `rowMode`, `txn` and `safeIntegers`, exactly @sochdb/sql's ExecuteOptions. */
export type SqlExecuteOptions = NonNullable<Parameters<SqlEngine['execute']>[2]>;
export type { SqlResult } from '@sochdb/sql';
