// One CSV line (RFC 4180) with the NULL / empty-string distinction values.ts describes: null is
// an empty unquoted field, '' is "". Written here rather than with csv-stringify, whose
// `quoted_empty` quotes null and '' alike, which would turn every NULL into an empty string.

/** `cells` as one CSV line ending in '\n'. */
export function csvLine(cells: readonly (string | null)[]): string {
  return `${cells.map(csvField).join(',')}\n`;
}

function csvField(cell: string | null): string {
  if (cell === null) return '';
  if (cell === '' || /[",\r\n]/.test(cell) || cell.trim() !== cell) return `"${cell.replace(/"/g, '""')}"`;
  return cell;
}
