// JSON for machine output: bigints (LSNs, 64-bit SQL integers) as exact numbers when they fit a
// double and as decimal strings when they do not, and Buffers as base64 — JSON.stringify would
// throw on the first and dump the second as an array of bytes.

/** `JSON.stringify` with bigints and Buffers made JSON-safe (see the file comment). */
export function toJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => jsonSafe(v), space);
}

function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  // JSON.stringify calls Buffer#toJSON before the replacer: what arrives is { type, data }.
  if (isSerializedBuffer(v)) return Buffer.from(v.data).toString('base64');
  return v;
}

function isSerializedBuffer(v: unknown): v is { type: 'Buffer'; data: number[] } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data);
}
