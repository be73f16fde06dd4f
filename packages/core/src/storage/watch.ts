import { toBytes } from '../bytes.js';
import { ValidationError } from '../errors.js';
import type { AppliedCommit, WatchRange } from './types.js';

/** A watch range checked and turned into Buffers (absent bounds stay absent). */
export interface WatchBounds {
  readonly gte: Buffer | undefined;
  readonly lt: Buffer | undefined;
}

/** Checks `Storage.watch`'s arguments; shared by every storage that implements it. */
export function requireWatch(range: WatchRange, listener: unknown): WatchBounds {
  if (typeof range !== 'object' || range === null) throw new ValidationError('watch takes a range object such as { gte, lt }', { field: 'range' });
  if (typeof listener !== 'function') throw new ValidationError('watch takes a listener function', { field: 'listener' });
  const gte = range.gte === undefined ? undefined : Buffer.from(toBytes(range.gte, 'range.gte'));
  const lt = range.lt === undefined ? undefined : Buffer.from(toBytes(range.lt, 'range.lt'));
  return { gte, lt };
}

/** Whether `commit` wrote a key inside `bounds`. */
export function touches(commit: AppliedCommit, { gte, lt }: WatchBounds): boolean {
  return commit.ops.some((op) => (gte === undefined || op.key.compare(gte) >= 0) && (lt === undefined || op.key.compare(lt) < 0));
}

/**
 * `Storage.watch` for a storage that sees every commit itself (`onCommit`): the listener runs in
 * the commit's own step, synchronously, once per commit that wrote a key in the range.
 */
export function watchCommits(onCommit: (listener: (commit: AppliedCommit) => void) => () => void, range: WatchRange, listener: () => void): () => void {
  const bounds = requireWatch(range, listener);
  return onCommit((commit) => {
    if (touches(commit, bounds)) listener();
  });
}
