// How the shell prints rows: `.mode table | json | toon | csv | line`.
import Table from 'cli-table3';
import { toToon, type ToonRecord } from '@sochdb/toon';

/** A value as the SQL engine returns it (rowMode 'array'). */
export type CellValue = null | number | bigint | string | Buffer | Uint8Array;

/** Rows to print: column names and one array of values per row, in column order. */
export interface Rows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly CellValue[])[];
}

export const OUTPUT_MODES = ['table', 'json', 'toon', 'csv', 'line'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

export function isOutputMode(value: string): value is OutputMode {
  return (OUTPUT_MODES as readonly string[]).includes(value);
}

/**
 * The rows as text in `mode`, ending with a newline; '' when there is nothing to print (no rows
 * in table, csv and line modes; json prints `[]` and toon an empty table, so their output
 * always parses).
 */
export function formatRows(result: Rows, mode: OutputMode): string {
  switch (mode) {
    case 'table':
      return result.rows.length === 0 ? '' : formatTable(result) + '\n';
    case 'json':
      return formatJson(result) + '\n';
    case 'toon':
      return formatToon(result) + '\n';
    case 'csv':
      return result.rows.length === 0 ? '' : formatCsv(result);
    case 'line':
      return formatLine(result);
  }
}

/** A blob as an SQL hex literal: x'00ff'. */
function blobText(value: Uint8Array): string {
  return `x'${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}'`;
}

/** A value as the text the table and line modes show; NULL for SQL NULL. */
export function cellText(value: CellValue): string {
  if (value === null) return 'NULL';
  if (value instanceof Uint8Array) return blobText(value);
  return String(value);
}

function formatTable({ columns, rows }: Rows): string {
  // ASCII borders, no rule between rows and no colours: what sqlite3's `.mode table` prints.
  const table = new Table({
    head: [...columns],
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
    chars: {
      top: '-',
      'top-mid': '+',
      'top-left': '+',
      'top-right': '+',
      bottom: '-',
      'bottom-mid': '+',
      'bottom-left': '+',
      'bottom-right': '+',
      left: '|',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '|',
      'right-mid': '',
      middle: '|',
    },
  });
  for (const row of rows) {
    table.push(row.map((value) => ({ content: cellText(value), hAlign: typeof value === 'number' || typeof value === 'bigint' ? 'right' : 'left' })));
  }
  // cli-table3 draws the header's bottom rule with the 'mid' characters we blanked; draw it here.
  const lines = table.toString().split('\n');
  const rule = lines[0]!;
  return [lines[0], lines[1], rule, ...lines.slice(2)].join('\n');
}

/** Column names made unique (a second `a` becomes `a_2`), for the formats that key rows by name. */
function uniqueNames(columns: readonly string[]): string[] {
  const seen = new Set<string>();
  return columns.map((name) => {
    let unique = name;
    for (let i = 2; seen.has(unique); i++) unique = `${name}_${i}`;
    seen.add(unique);
    return unique;
  });
}

function jsonValue(value: CellValue): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return value.toString(); // JSON numbers may be any size
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (value instanceof Uint8Array) return JSON.stringify(blobText(value));
  return JSON.stringify(value);
}

function formatJson({ columns, rows }: Rows): string {
  const names = uniqueNames(columns).map((name) => JSON.stringify(name));
  const objects = rows.map((row) => '{' + row.map((value, i) => `${names[i]}:${jsonValue(value)}`).join(',') + '}');
  // One row per line, as sqlite3's `.mode json` prints; the whole output is one JSON array.
  return '[' + objects.join(',\n') + ']';
}

function toonValue(value: CellValue): string | number | null {
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  return blobText(value);
}

function formatToon({ columns, rows }: Rows): string {
  const names = uniqueNames(columns);
  const records: ToonRecord[] = rows.map((row) => Object.fromEntries(row.map((value, i) => [names[i]!, toonValue(value)])));
  return toToon('result', records, names);
}

function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function formatCsv({ columns, rows }: Rows): string {
  const line = (cells: readonly string[]) => cells.map(csvField).join(',') + '\r\n';
  let out = line(columns);
  for (const row of rows) out += line(row.map((value) => (value === null ? '' : cellText(value))));
  return out;
}

function formatLine({ columns, rows }: Rows): string {
  const width = Math.max(0, ...columns.map((c) => c.length));
  return rows.map((row) => columns.map((c, i) => `${c.padStart(width)} = ${cellText(row[i] ?? null)}\n`).join('')).join('\n');
}
