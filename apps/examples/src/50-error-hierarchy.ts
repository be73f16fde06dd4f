// Error handling — the error classes and their stable numeric codes
import {
  SochDBError, // base error
  DatabaseError, // general database errors
  TransactionError, // transaction failures
  ConnectionError, // connection issues
  ProtocolError, // wire protocol errors
  // Namespace errors
  NamespaceNotFoundError,
  NamespaceExistsError,
  // Collection errors
  CollectionNotFoundError,
  CollectionExistsError,
  CollectionConfigError,
  // Validation errors
  ValidationError,
  DimensionMismatchError,
  // Lock errors
  LockError,
  DatabaseLockedError,
  LockTimeoutError,
  EpochMismatchError,
  SplitBrainError,
} from '@sochdb/sdk';

// Every error is a SochDBError with a stable numeric `code` to switch on, and a `remediation`.
const examples: SochDBError[] = [
  new DatabaseError('database is closed'),
  new TransactionError('transaction already committed'),
  new ConnectionError('connection refused'),
  new ProtocolError('bad frame'),
  new NamespaceNotFoundError("namespace 'tenant_999' does not exist"),
  new NamespaceExistsError("namespace 'tenant_123' already exists"),
  new CollectionNotFoundError("collection 'docs' does not exist"),
  new CollectionExistsError("collection 'docs' already exists"),
  new CollectionConfigError('dimension must be positive'),
  new ValidationError('key must not be empty', { field: 'key' }),
  new DimensionMismatchError(384, 3),
  new LockError('lock problem'),
  new DatabaseLockedError('database is locked'),
  new LockTimeoutError('timed out waiting for the lock'),
  new EpochMismatchError('stale owner epoch'),
  new SplitBrainError('two owners'),
];
for (const error of examples) {
  console.log(`${error.name.padEnd(24)} ${String(error.code).padStart(5)}  ${error instanceof SochDBError}`);
}
