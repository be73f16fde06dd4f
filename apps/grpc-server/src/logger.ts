import { createLogger as createJsonLogger, LOG_LEVELS as LEVELS, type LogLevel as Level } from '@sochdb/observability';

/** Verbosity of the server's log on stderr. */
export type LogLevel = Level;

export const LOG_LEVELS: readonly LogLevel[] = LEVELS;

/** What the server logs through: a pino logger from `createLogger`, or anything with these four methods. */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/**
 * One JSON object per line (`{"level":"info","time":"…","pid":…,"name":"sochdb-grpc-server","msg":"…"}`)
 * on stderr — stdout is kept for the `listening on …` line scripts read — with secrets redacted
 * (see @sochdb/observability's createLogger). `write` receives each line instead (newline included).
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  return createJsonLogger({ level, name: 'sochdb-grpc-server', ...(write ? { destination: write } : {}) });
}
