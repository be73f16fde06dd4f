import type { TransactionOptions } from './types.js';

/**
 * Names the session a transaction was begun for, when many transactions share one ordered channel
 * (an IPC connection answers its requests in order). A server puts it in the options it passes to
 * `beginTransaction`; AbstractStorage's fairness reads it. Internal: applications never set it.
 */
export const TRANSACTION_SESSION: unique symbol = Symbol('sochdb.transactionSession');

/** TransactionOptions as a server passes them: with the session its transactions share. */
export type SessionTransactionOptions = TransactionOptions & { readonly [TRANSACTION_SESSION]?: object };

/** The session `options` name, if any. */
export function sessionOf(options: TransactionOptions): object | undefined {
  return (options as SessionTransactionOptions)[TRANSACTION_SESSION];
}
