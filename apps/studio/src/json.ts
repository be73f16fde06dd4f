// Turning SDK values into what JSON can carry. Storage counters and SQL integers may be bigints,
// which JSON.stringify refuses; Buffers would serialize as `{ type, data }` arrays nobody wants.

/** A value JSON can carry unchanged. */
export type JsonSafe = null | boolean | number | string | readonly JsonSafe[] | { readonly [key: string]: JsonSafe };

/**
 * `value` with every bigint as its decimal text and every Buffer/Uint8Array as `{ hex }`, recursively;
 * `undefined` fields are dropped (as JSON.stringify would).
 */
export function jsonSafe(value: unknown): JsonSafe {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return { hex: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') };
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === 'object') {
    const out: Record<string, JsonSafe> = {};
    for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = jsonSafe(field);
    return out;
  }
  // Functions and symbols: JSON has no form for them (JSON.stringify drops them too).
  return null;
}
