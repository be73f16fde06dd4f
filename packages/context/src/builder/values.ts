import type { ToonRecord, ToonValue } from '@sochdb/toon';

/**
 * Any value a source returns, as a table cell: bigints that fit become numbers (else their
 * digits), bytes become their UTF-8 text (base64 when they are not text), dates ISO strings,
 * and non-finite numbers their names, so every format writes the same thing.
 */
export function cellOf(value: unknown): ToonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'object':
      if (value instanceof Uint8Array) return textOf(value);
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (Array.isArray(value)) return value.map(cellOf);
      return recordOf(value as Readonly<Record<string, unknown>>) as ToonValue;
    case 'symbol':
      return value.toString();
    default:
      // A function: what JSON would drop, named instead.
      return '[function]';
  }
}

/** A row with every value made a cell (`undefined` fields are left out). */
export function recordOf(row: Readonly<Record<string, unknown>>): ToonRecord {
  const record: Record<string, ToonValue> = {};
  for (const [field, value] of Object.entries(row)) if (value !== undefined) record[field] = cellOf(value);
  return record;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text, or `base64:…` when they are not valid UTF-8. */
function textOf(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    return `base64:${Buffer.from(bytes).toString('base64')}`;
  }
}

/** A stored value as a cell: JSON objects and arrays parsed (what putJson stores), else text. */
export function storedValueOf(bytes: Uint8Array): ToonValue {
  const text = textOf(bytes);
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      return cellOf(JSON.parse(text) as unknown);
    } catch {
      return text;
    }
  }
  return text;
}
