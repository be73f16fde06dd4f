/** A value a compact TOON cell holds as itself: it reads back with the same type. */
export type ToonPrimitive = string | number | boolean | null;

/** Any value a record field may hold: primitives, or JSON-like arrays and objects (stored as JSON). */
export type ToonValue = ToonPrimitive | readonly ToonValue[] | { readonly [key: string]: ToonValue };

/** One row: field name → value. A field that is absent (or `undefined`) is written as an empty cell. */
export type ToonRecord = { readonly [field: string]: ToonValue | undefined };

/** What `fromToon` returns: the table name, the column names in order, and the typed rows. */
export interface ToonTable {
  readonly table: string;
  readonly fields: readonly string[];
  readonly records: Record<string, ToonValue>[];
}
