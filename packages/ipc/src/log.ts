/** Severity of a server log line (IpcServerOptions.log). */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
