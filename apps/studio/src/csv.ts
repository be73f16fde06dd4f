// CSV (RFC 4180) of a SQL result: every field that needs it quoted, BLOBs as hex, bigints exact.
import type { OutputValue } from '@sochdb/sdk';

function field(value: OutputValue | string): string {
  const text = value === null ? '' : Buffer.isBuffer(value) ? value.toString('hex') : String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header line and one line per row, CRLF-separated as RFC 4180 asks. */
export function csvOf(columns: readonly string[], rows: readonly (readonly OutputValue[])[]): string {
  return [columns.map(field).join(','), ...rows.map((row) => row.map(field).join(','))].join('\r\n') + '\r\n';
}
