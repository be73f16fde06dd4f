// @sochdb/sql — a SQLite-compatible SQL engine over SochDB Storage.

// The engine and its results.
export { SqlEngine, type SqlEngineOptions, type SqlLimits, type ExecuteOptions, type SqlParams } from './engine/engine.js';
export { SqlResult, type SqlRow } from './engine/result.js';
export { PreparedStatement, type ColumnDescription, type RunResult } from './engine/prepared.js';
export type { OutputValue } from './values/values.js';

// Plugin hook: row-level triggers.
export type { SqlTriggers, TriggerEvent, TriggerRow, TriggerContext } from './write/triggers.js';
