import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';

/** Verbosity of a server's log; `silent` logs nothing. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** Every level, from `silent` (nothing) to `debug` (everything): the choices of `--log-level`. */
export const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];

/** A pino logger (JSON lines); its `error`/`warn`/`info`/`debug` take a message string. */
export type Logger = PinoLogger;

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Lines below this level are dropped (default `info`). */
  readonly level?: LogLevel;
  /**
   * Where the JSON lines go (default stderr, written synchronously so nothing is lost on exit:
   * stdout is kept for the `listening on …` lines scripts read). A stream, a file descriptor, or
   * a function that receives each line (newline included).
   */
  readonly destination?: DestinationStream | number | ((line: string) => void);
  /** The `name` field of every line, e.g. `sochdb-server`. */
  readonly name?: string;
}

/** What every line replaces a secret with. */
export const REDACTED = '[Redacted]';

// Field names that hold secrets, at the top level of a log call's object and one level down
// (`{ auth: { token } }`), in the spellings the servers and their clients use.
const SECRET_FIELDS = [
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'api_key',
  'password',
  'passwd',
  'secret',
  'authorization',
  'Authorization',
  'cookie',
  'connectionString',
];
/** The pino `redact` paths createLogger uses. */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  'headers.authorization',
  'metadata.authorization',
  '*.headers.authorization',
  '*.metadata.authorization',
];

// `scheme://user:password@host` (a database URL, a proxy URL): the password goes, the user stays.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi;
// `Bearer <token>` and `Basic <token>`, as an authorization header prints.
const AUTH_HEADER = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;
// `password=…` / `apiKey: …` in libpq-style connection strings and key=value text.
const KEY_VALUE = /\b(password|passwd|pwd|api[_-]?key|token|secret)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s"',;&]+)/gi;

/**
 * `text` with the secrets a log line may carry by accident replaced: the password of a URL
 * (`postgres://app:s3cret@db/x` → `postgres://app:[Redacted]@db/x`), `Bearer`/`Basic` tokens,
 * and `password=`/`apiKey=`/`token=`/`secret=` values.
 */
export function redactSecrets(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1:${REDACTED}@`).replace(AUTH_HEADER, `$1 ${REDACTED}`).replace(KEY_VALUE, `$1$2${REDACTED}`);
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 3 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
}

function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  return scrub(serialized);
}

/**
 * A pino logger writing one JSON object per line (`{"level":"info","time":"…","msg":"…"}`) to
 * stderr. Secrets are kept out twice: fields named like secrets (`token`, `apiKey`, `password`,
 * `authorization`, `metadata.authorization`, `connectionString`, …: see REDACT_PATHS) are
 * replaced by `[Redacted]`, and every string — the message included — goes through
 * `redactSecrets` (URL passwords, bearer tokens, `password=` values).
 *
 * @example
 * ```ts
 * const log = createLogger({ level: 'info', name: 'sochdb-grpc-server' });
 * log.info('listening on 127.0.0.1:50051');
 * log.warn({ apiKey: 'k' }, 'login'); // {"level":"warn",…,"apiKey":"[Redacted]","msg":"login"}
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination;
  const stream: DestinationStream =
    typeof destination === 'function'
      ? { write: destination }
      : typeof destination === 'object'
        ? destination
        : pino.destination({ fd: destination ?? 2, sync: true });
  return pino(
    {
      level: options.level ?? 'info',
      ...(options.name === undefined ? {} : { name: options.name }),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      serializers: { err: serializeError },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrub(object) as Record<string, unknown>,
      },
      hooks: {
        // The message (and any interpolation values) is scrubbed too: a URL with a password
        // pasted into a message must not reach the log either.
        logMethod(args, method) {
          const clean = args.map<unknown>((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg));
          // `log.error(err)` alone: pino would take the message from the error unscrubbed.
          if (clean.length === 1 && clean[0] instanceof Error) clean.push(redactSecrets(clean[0].message));
          method.apply(this, clean as Parameters<typeof method>);
        },
      },
    },
    stream,
  );
}

/**
 * Adapts a logger to the `(level, message) => void` callback of `IpcServerOptions.log`.
 */
export function logFunction(logger: Logger): (level: Exclude<LogLevel, 'silent'>, message: string) => void {
  return (level, message) => logger[level](message);
}
