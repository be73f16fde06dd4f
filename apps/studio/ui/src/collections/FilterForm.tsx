// A metadata filter built from rows of (field, operator, value), all of which must hold.
import type { TargetedEvent } from 'preact';

export interface FilterRow {
  readonly field: string;
  readonly op: string;
  readonly value: string;
}

const OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin'] as const;

/** A typed value: JSON when it parses (numbers, true, null, "quoted"), else the text itself. */
function scalar(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The rows as a MetadataFilter (`$in`/`$nin` take comma-separated values); undefined when empty. */
export function filterOf(rows: readonly FilterRow[]): Record<string, unknown> | undefined {
  const parts = rows
    .filter((r) => r.field.trim() !== '')
    .map((r) => {
      const value = r.op === '$in' || r.op === '$nin' ? r.value.split(',').map((v) => scalar(v.trim())) : scalar(r.value);
      return { [r.field.trim()]: { [r.op]: value } };
    });
  return parts.length === 0 ? undefined : { $and: parts };
}

export function FilterForm({ rows, onChange }: { readonly rows: readonly FilterRow[]; readonly onChange: (rows: readonly FilterRow[]) => void }) {
  const set = (i: number, change: Partial<FilterRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const input = (i: number, name: 'field' | 'value') => (e: TargetedEvent<HTMLInputElement>) => set(i, { [name]: e.currentTarget.value });
  return (
    <fieldset class="filters">
      <legend>Filter (all must hold)</legend>
      {rows.map((r, i) => (
        <div class="toolbar" key={i}>
          <input placeholder="field" value={r.field} onInput={input(i, 'field')} aria-label="filter field" />
          <select value={r.op} onChange={(e) => set(i, { op: e.currentTarget.value })} aria-label="filter operator">
            {OPERATORS.map((op) => (
              <option key={op} value={op}>
                {op}
              </option>
            ))}
          </select>
          <input placeholder='value (JSON or text; "a,b" for $in)' value={r.value} onInput={input(i, 'value')} aria-label="filter value" />
          <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))} title="Remove this condition">
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { field: '', op: '$eq', value: '' }])}>
        + condition
      </button>
    </fieldset>
  );
}
