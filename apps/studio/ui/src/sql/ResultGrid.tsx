// A result in a grid: sorted by clicking a header (again to reverse), shown a page at a time.
import { useMemo, useState } from 'preact/hooks';
import type { Cell } from '../types.js';

const PAGE_ROWS = 50;

function cellText(cell: Cell): string {
  if (cell === null) return 'NULL';
  if (typeof cell === 'object') return `x'${cell.hex}'`;
  return String(cell);
}

/** Orders cells as SQL does: NULL first, numbers by value, then text, then BLOBs. */
function compareCells(a: Cell, b: Cell): number {
  const rank = (c: Cell) => (c === null ? 0 : typeof c === 'number' || typeof c === 'boolean' ? 1 : typeof c === 'string' ? 2 : 3);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return Number(a) - Number(b);
  const ta = cellText(a);
  const tb = cellText(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

export function ResultGrid({ columns, rows }: { readonly columns: readonly string[]; readonly rows: readonly (readonly Cell[])[] }) {
  const [sort, setSort] = useState<{ column: number; descending: boolean } | undefined>(undefined);
  const [page, setPage] = useState(0);
  const sorted = useMemo(() => {
    if (sort === undefined) return rows;
    const factor = sort.descending ? -1 : 1;
    return [...rows].sort((a, b) => factor * compareCells(a[sort.column] ?? null, b[sort.column] ?? null));
  }, [rows, sort]);
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE_ROWS));
  const current = Math.min(page, pages - 1);
  const shown = sorted.slice(current * PAGE_ROWS, (current + 1) * PAGE_ROWS);
  return (
    <div>
      <div class="scroll">
        <table class="grid" data-testid="sql-grid">
          <thead>
            <tr>
              {columns.map((name, i) => (
                <th
                  key={name + String(i)}
                  class="sortable"
                  title="Sort by this column"
                  onClick={() => {
                    setSort(sort?.column === i ? { column: i, descending: !sort.descending } : { column: i, descending: false });
                    setPage(0);
                  }}
                >
                  {name}
                  {sort?.column === i ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (
                  <td key={c} class={cell === null ? 'null' : typeof cell === 'number' ? 'num' : ''}>
                    {cellText(cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <div class="pager">
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
            ← Previous
          </button>
          <span class="muted">
            page {current + 1} of {pages}
          </span>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next →
          </button>
        </div>
      ) : null}
    </div>
  );
}
