import { ValidationError } from './errors.js';

// Argument checks shared by the packages. Callers may be plain JavaScript (or a server passing
// decoded JSON), so every public entry point checks its arguments at runtime and names the field.
// Naming, here and in every package: `requireX` checks an argument and returns it (normalized) or
// throws a ValidationError naming the field; `optionalX` is the same for a value that may be undefined.

export function requireOptions<T>(options: T, what: string): T {
  if (typeof options !== 'object' || options === null) throw new ValidationError(`${what} expects an options object`, { field: 'options' });
  return options;
}

/** Ids, types and namespaces: any non-empty string (quotes, slashes and unicode are fine). */
export function requireName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationError(`${field} must be a non-empty string, got ${describeValue(value)}`, {
      field,
      remediation: `Pass ${field} as a non-empty string.`,
    });
  }
  return value;
}

export function optionalName(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : requireName(value, field);
}

export function requireNames(value: unknown, field: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ValidationError(`${field} must be an array of strings`, { field });
  return value.map((v, i) => requireName(v, `${field}[${i}]`));
}

/** One of `allowed`, or `fallback` when undefined. */
export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const list = allowed.map((a) => `'${a}'`);
  const wanted = list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : list[0];
  throw new ValidationError(`${field} must be ${wanted}, got ${describeValue(value)}`, { field });
}

/** A short description of a bad value for an error message (never the whole value). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'function':
      return 'a function';
    case 'symbol':
      return value.toString();
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'undefined':
      return String(value);
    default: // an object, the only type left (null is handled above)
      return 'an object';
  }
}
