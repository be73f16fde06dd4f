// Human tables (cli-table3) without colour codes: output that is piped, grepped or pasted into an
// issue must hold only the text.
import Table from 'cli-table3';

/** A table of `rows` under `head`, as text. */
export function textTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const table = new Table({ head: [...head], style: { head: [], border: [] } });
  for (const row of rows) table.push([...row]);
  return table.toString();
}
