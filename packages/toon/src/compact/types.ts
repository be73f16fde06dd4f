/** A value a compact TOON cell holds as itself: it reads back with the same type. */
export type ToonPrimitive = string | number | boolean | null;

/** Any value a record field may hold: primitives, or JSON-like arrays and objects (stored as JSON). */
export type ToonValue = ToonPrimitive | readonly ToonValue[] | { readonly [key: string]: ToonValue };

/** One row: field name → value. A field that is absent (or `undefined`) is written as an empty cell. */
export type ToonRecord = { readonly [field: string]: ToonValue | undefined };

/** What `fromToon` returns: the table name, the column names in order, and the typed rows. */
export interface ToonTable {
  /** The table name from the header (the part before `[count]`; a quoted name is decoded). */
  readonly table: string;
  /** The header's field names, in header order (never repeated); empty for a `{}` header. */
  readonly fields: readonly string[];
  /**
   * One object per row, in text order, exactly `[count]` of them. A field whose cell was empty is
   * absent from its record (not `undefined`), so `Object.keys` may list fewer than `fields`.
   */
  readonly records: Record<string, ToonValue>[];
}
