import { parseConfig, ValidationError } from '@sochdb/core';
import { z } from 'zod';

/** A PostgreSQL identifier we can put into SQL unquoted-safe (we still quote it). */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Validates and defaults the options of `PostgresStorage.open`; an invalid or unknown field makes
 * `open` throw ValidationError. Each field's comment gives its meaning, bounds and default.
 */
export const PostgresStorageOptionsSchema = z
  .object({
    /**
     * The PostgreSQL schema that holds this SochDB database's three tables (created when missing).
     * One schema is one SochDB database: several can share a PostgreSQL database. Also settable
     * as `?schema=` in the URL. Default `sochdb`.
     */
    schema: z.string().regex(IDENTIFIER, 'schema must be a lower-case SQL identifier (letters, digits, _; at most 63)').default('sochdb'),
    /** Connections kept by this process; each open SochDB transaction, snapshot or iterator holds one. */
    poolSize: z.number().int().min(1).max(1_000).default(10),
    /** How long to wait for a connection (to the server, or a free one of the pool) before a ConnectionError. */
    connectTimeoutMs: z.number().int().min(1).max(600_000).default(10_000),
    /** Idle connections are closed after this long. */
    idleTimeoutMs: z.number().int().min(0).max(3_600_000).default(30_000),
    /**
     * TLS, as the `pg` driver takes it: `true`, or `{ ca, cert, key, rejectUnauthorized, servername }`.
     * `sslmode=` in the URL works too.
     */
    ssl: z
      .union([
        z.boolean(),
        z.object({
          /** PEM text (not a path) of the CA certificate(s) to trust instead of the system's. */
          ca: z.string().optional(),
          /** PEM text of the client certificate, for servers that authenticate clients by certificate. */
          cert: z.string().optional(),
          /** PEM text of the client certificate's private key. */
          key: z.string().optional(),
          /** `false` accepts a server certificate that does not verify (testing only). Default `true`. */
          rejectUnauthorized: z.boolean().optional(),
          /** Host name the server certificate must match (SNI), when it differs from the URL's host. */
          servername: z.string().optional(),
        }),
      ])
      .optional(),
    /**
     * Most rows an iterator reads in one round trip (it reads what its reader asks for, up to
     * this, plus one to see the range end). Its first 65 rows come with its snapshot's BEGIN.
     */
    pageSize: z.number().int().min(1).max(100_000).default(1_024),
    /**
     * Commits the commit feed keeps (`changesAfter`): older ones are pruned, a reader further
     * behind gets ChangeFeedGapError and reloads, and a transaction whose snapshot is older than
     * that conflicts at commit (its conflicts can no longer be checked).
     */
    changeLogCommits: z.number().int().min(1).max(100_000_000).default(100_000),
  })
  .strict();

/**
 * The options of `PostgresStorage.open` (and of `openStorage` for a postgres:// URL); see
 * `PostgresStorageOptionsSchema` for each field's meaning, bounds and default.
 *
 * @example
 * ```ts
 * const options: PostgresStorageOptions = {
 *   schema: 'tenant_a', // one schema is one SochDB database; several share a PostgreSQL database
 *   connectTimeoutMs: 5_000,
 *   pageSize: 256, // rows per iterator round trip: smaller suits many short scans
 *   changeLogCommits: 1_000_000, // followers that fall further behind than this reload
 * };
 * ```
 */
export type PostgresStorageOptions = z.input<typeof PostgresStorageOptionsSchema>;
export type ResolvedPostgresOptions = z.output<typeof PostgresStorageOptionsSchema>;

export function parseOptions(options: PostgresStorageOptions | undefined): ResolvedPostgresOptions {
  return parseConfig(PostgresStorageOptionsSchema, options, 'PostgreSQL storage options');
}

/**
 * Splits SochDB's own `schema` parameter from a connection URL (the driver would pass an unknown
 * parameter to the server as a setting). A password is never echoed back in errors.
 */
export function splitUrl(url: string): { readonly connectionString: string; readonly schema: string | undefined; readonly display: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError('the PostgreSQL URL is not a valid URL: expected postgres://user:password@host:port/database', { field: 'url' });
  }
  if (parsed.pathname.length <= 1) {
    throw new ValidationError('the PostgreSQL URL names no database: expected postgres://user:password@host:port/database', { field: 'url' });
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  const display = new URL(parsed.toString());
  if (display.password !== '') display.password = '***';
  return { connectionString: parsed.toString(), schema, display: display.toString() };
}
