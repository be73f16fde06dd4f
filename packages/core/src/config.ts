import { z } from 'zod';
import { ValidationError } from './errors.js';

/**
 * How commits reach the disk.
 * - `full`: every commit is written and fsynced on its own before it is acknowledged.
 * - `normal` (default): group commit. Commits that arrive while a write is in flight are merged
 *   into the next write and share one fsync; each is acknowledged only after that fsync, so an
 *   acknowledged commit survives a crash or power loss exactly as in `full`.
 * - `off`: no fsync. A commit is in LevelDB's log (the OS page cache) when acknowledged: it
 *   survives the process being killed, but an OS crash or power loss can lose the last commits.
 */
export const SyncModeSchema = z.enum(['full', 'normal', 'off']);
/** `'full'`, `'normal'` (the default) or `'off'`: how commits reach the disk, see `SyncModeSchema`. */
export type SyncMode = z.infer<typeof SyncModeSchema>;

/**
 * The zod schema of a storage's config, as `LevelStorage.open` and `MemoryStorage.open` take it;
 * strict, so a misspelt option is a ValidationError rather than ignored. Validate with
 * `parseConfig(DatabaseConfigSchema, input, 'database config')`; extend it for a backend's own options.
 */
export const DatabaseConfigSchema = z
  .object({
    /** Create the folder and database when missing (default true). */
    createIfMissing: z.boolean().default(true),
    /** Fail if the database already exists (default false). */
    errorIfExists: z.boolean().default(false),
    /**
     * Kept for compatibility with the original SDK. LevelDB always journals writes to its log
     * before applying them, so `false` is accepted but cannot turn the log off.
     */
    walEnabled: z.boolean().default(true),
    /** How commits reach the disk (default `'normal'`, group commit); see `SyncMode`. */
    syncMode: SyncModeSchema.default('normal'),
    /**
     * LevelDB write buffer (memtable) size in bytes. 16 MiB, not LevelDB's 4 MiB: at 4 MiB bulk
     * writes (a 100k-document collection build) stall on level-0 compactions. Memory is taken as
     * writes arrive (at most two buffers while one is flushed), and a crash replays at most this
     * much log on the next open.
     */
    memtableSizeBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(1 << 30)
      .default(16 * 1024 * 1024),
    /** LevelDB block cache size in bytes. */
    cacheSizeBytes: z
      .number()
      .int()
      .min(0)
      .max(16 * 1024 * 1024 * 1024)
      .default(8 * 1024 * 1024),
    /**
     * Keep `keysCount` exact on every commit, at one existence read per written key. Off (the
     * default), writes cost no reads and `currentStats()` counts keys by a scan when asked after
     * commits; turn it on when something polls `keysCount` of a large, busy database.
     */
    trackKeyCount: z.boolean().default(false),
    /**
     * Bytes of keys the commit feed (`changesAfter`) keeps of recent commits. Readers further
     * behind than this reload instead of catching up (default 16 MiB).
     */
    changeLogBytes: z
      .number()
      .int()
      .min(1024)
      .max(2 ** 31)
      .default(16 * 1024 * 1024),
  })
  .strict();

/** A storage config after parsing: every option present, defaults filled in. */
export type DatabaseConfig = z.infer<typeof DatabaseConfigSchema>;
/** A storage config as callers pass it: every option optional (see `DatabaseConfigSchema` for the defaults). */
export type DatabaseConfigInput = z.input<typeof DatabaseConfigSchema>;

/**
 * Parses any zod schema and turns the first problem into a `ValidationError` naming the field,
 * so no zod error ever reaches a user. Every package validates its config through this.
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const field = [...issue.path.map(String), ...keys].join('.') || undefined;
  throw new ValidationError(`invalid ${what}${field ? ` field '${field}'` : ''}: ${issue.message}`, {
    ...(field === undefined ? {} : { field }),
    remediation: `Check the ${what} you passed${field ? ` (field '${field}')` : ''}.`,
  });
}
