// @sochdb/sql — a SQLite-compatible SQL engine over SochDB Storage.

// The engine and its results.
export { SqlEngine, type SqlEngineOptions, type SqlLimits, type ExecuteOptions, type SqlParams } from './engine.js';
export { SqlResult, type SqlRow } from './result.js';
export type { OutputValue } from './values.js';

// Plugin hook: row-level triggers.
export type { SqlTriggers, TriggerEvent, TriggerRow, TriggerContext } from './triggers.js';
