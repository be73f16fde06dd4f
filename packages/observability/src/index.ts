// @sochdb/observability — what SochDB's servers share to be watched: structured JSON logs (pino,
// secrets redacted) and Prometheus metrics (prom-client, on a registry of their own) served on an
// opt-in loopback HTTP port. Kept out of @sochdb/core so embedded users never load either.
export { createLogger, logFunction, redactSecrets, LOG_LEVELS, REDACT_PATHS, REDACTED, type Logger, type LoggerOptions, type LogLevel } from './logger.js';
export {
  createServerMetrics,
  errorCode,
  DEFAULT_DURATION_BUCKETS,
  type CollectionSize,
  type DatabaseCounters,
  type QueueDepth,
  type RequestEvent,
  type ServerMetrics,
  type ServerMetricsOptions,
} from './metrics.js';
export { checkMetricsAccess, serveMetrics, type MetricsServer, type ServeMetricsOptions } from './http.js';
// The loopback test the metrics port makes, from @sochdb/core (servers and @sochdb/mcp use it too).
export { isLoopback } from '@sochdb/core';
