import { ValidationError } from '@sochdb/core';

/** A hierarchical path: `'users/alice/email'`, or its segments `['users', 'alice', 'email']`. */
export type KvPath = string | readonly string[];

/**
 * The key a path is stored under: its segments joined by `/`, as UTF-8 — i.e. the path text
 * itself. So `putPath('users/alice/email', v)` and `put('users/alice/email', v)` address the same
 * entry, and `scanPrefix('users/alice/')` lists everything under `users/alice`.
 *
 * Segments must be non-empty and must not be `.` or `..` or hold a NUL (or, given as an array,
 * a `/`): such paths are almost always a bug or an attempt to step outside a subtree.
 * @throws ValidationError (field `path`)
 */
export function pathKey(path: KvPath): string {
  const segments = typeof path === 'string' ? path.split('/') : path;
  if (typeof path !== 'string' && !Array.isArray(path)) {
    throw new ValidationError('a path must be a string like "users/alice/email" or an array of segments', { field: 'path' });
  }
  if (segments.length === 0) throw invalid(path, 'it is empty');
  segments.forEach((segment, i) => {
    if (typeof segment !== 'string') throw invalid(path, `segment ${i + 1} is not a string`);
    if (segment === '') throw invalid(path, `segment ${i + 1} is empty (a leading, trailing or doubled "/")`);
    if (segment === '.' || segment === '..') throw invalid(path, `segment ${i + 1} is "${segment}"; relative segments are not allowed`);
    if (segment.includes('\0')) throw invalid(path, `segment ${i + 1} holds a NUL character`);
    if (segment.includes('/')) throw invalid(path, `segment ${i + 1} holds a "/"; pass the path as a string to split it`);
  });
  return segments.join('/');
}

function invalid(path: KvPath, why: string): ValidationError {
  return new ValidationError(`invalid path ${JSON.stringify(path)}: ${why}`, {
    field: 'path',
    remediation: 'Use non-empty segments separated by single slashes, e.g. "users/alice/email".',
  });
}
