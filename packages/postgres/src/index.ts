// @sochdb/postgres — SochDB's Storage on a PostgreSQL-wire server (PostgreSQL; CockroachDB and
// YugabyteDB with the settings in the README), shared by processes on many machines.
// Importing it registers postgres:// and postgresql:// with @sochdb/core's openStorage.
import './register.js';

export { PostgresStorage } from './postgres-storage.js';
export { PostgresStorageOptionsSchema, type PostgresStorageOptions } from './options.js';
