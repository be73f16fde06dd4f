// The error classes live in @sochdb/errors (no dependencies, so packages that need only errors,
// like @sochdb/toon, do not install LevelDB); core re-exports every one of them.
export * from '@sochdb/errors';
