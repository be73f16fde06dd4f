/**
 * `Array.isArray` without its `any[]`: narrowing a `readonly T[]` with the built-in guard leaves
 * `readonly T[] & any[]`, whose elements are `any`; this guard keeps them `T`.
 */
export function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}
