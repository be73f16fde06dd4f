// @sochdb/errors — every error class SochDB throws, with its stable code. @sochdb/core re-exports
// all of it: import from '@sochdb/core' unless a package must not depend on core.
export * from './errors.js';
