import type { StudioSource } from './source.js';

/** What every route reads: where the data is, and whether changes are allowed. */
export interface StudioContext {
  /** The database the studio shows, however it is reached; the studio never closes a Database it was given. */
  readonly source: StudioSource;
  /** False: every endpoint that changes data answers 403, and SQL runs read-only. */
  readonly write: boolean;
}
