import { toToon, type ToonRecord, type ToonValue } from '@sochdb/toon';
import type { SectionData } from './fetch.js';
import type { ContextFormat } from './types.js';

/** The rows (or lines) of a section kept: `[start, end)` of its data. */
export interface Kept {
  /** First kept index. */
  readonly start: number;
  /** One past the last kept index. */
  readonly end: number;
}

/** How many rows or lines a section's data has. */
export function sizeOf(data: SectionData): number {
  return data.kind === 'lines' ? data.lines.length : data.rows.length;
}

/**
 * A section as text: a `## name` line (saying how many rows were dropped, if any), then the kept
 * rows in `format` — whole rows only, so truncation never cuts one in half.
 */
export function renderSection(name: string, data: SectionData, kept: Kept, format: ContextFormat): string {
  const total = sizeOf(data);
  const count = kept.end - kept.start;
  const unit = data.kind === 'lines' ? 'lines' : 'rows';
  const header = count < total ? `## ${name} (${count} of ${total} ${unit}; ${total - count} dropped)` : `## ${name}`;
  if (data.kind === 'lines') return count === 0 ? header : `${header}\n${data.lines.slice(kept.start, kept.end).join('\n')}`;
  if (total === 0) return `${header}\n(no rows)`;
  const rows = data.rows.slice(kept.start, kept.end);
  const fields = data.fields ?? fieldsOf(data.rows);
  return `${header}\n${renderRows(name, rows, fields, format)}`;
}

function fieldsOf(rows: readonly ToonRecord[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const field of Object.keys(row)) seen.add(field);
  return [...seen];
}

function renderRows(name: string, rows: readonly ToonRecord[], fields: readonly string[], format: ContextFormat): string {
  switch (format) {
    case 'toon':
      return toToon(name, rows, fields);
    case 'json':
      // Compact, one array: the fairest JSON to compare TOON with.
      return JSON.stringify(rows.map((row) => Object.fromEntries(fields.map((field) => [field, row[field] ?? null]))));
    case 'markdown':
      return markdownTable(rows, fields);
  }
}

function markdownTable(rows: readonly ToonRecord[], fields: readonly string[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(fields.map(markdownCell)),
    line(fields.map(() => '---')),
    ...rows.map((row) => line(fields.map((field) => markdownCell(row[field] ?? null)))),
  ].join('\n');
}

// A cell may not hold a raw `|` or line break: either would end the cell or the row.
function markdownCell(value: ToonValue): string {
  const text = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\r\n', '<br>').replaceAll('\n', '<br>').replaceAll('\r', '<br>');
}
