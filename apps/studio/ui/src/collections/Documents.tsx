// A collection's documents in id order, a page at a time, with metadata and content.
import { useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { ErrorBox } from '../components.js';
import { useLoad } from '../hooks.js';
import type { CollectionSummary, Document } from '../types.js';

const PAGE_SIZE = 20;

export function Documents(props: { readonly collection: CollectionSummary; readonly selected: string | undefined; readonly onSelect: (id: string) => void }) {
  const { collection, selected, onSelect } = props;
  const [cursors, setCursors] = useState<readonly (string | undefined)[]>([]);
  const [afterId, setAfterId] = useState<string | undefined>(undefined);
  const path = `/collections/${encodeURIComponent(collection.namespace)}/${encodeURIComponent(collection.name)}/documents`;
  const page = useLoad(
    () => api<{ documents: Document[]; next: string | null; count: number }>(`${path}${query({ limit: PAGE_SIZE, afterId })}`),
    [path, afterId],
  );
  return (
    <div class="panel">
      <h2>Documents</h2>
      <ErrorBox error={page.error} />
      <table class="grid" data-testid="documents">
        <thead>
          <tr>
            <th>id</th>
            <th>metadata</th>
            <th>content</th>
          </tr>
        </thead>
        <tbody>
          {(page.data?.documents ?? []).map((d) => (
            <tr key={d.id} class={d.id === selected ? 'selected clickable' : 'clickable'} onClick={() => onSelect(d.id)} title="Select for “more like this”">
              <td class="mono">{d.id}</td>
              <td class="mono clip">{JSON.stringify(d.metadata)}</td>
              <td class="clip">{d.content ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="pager">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => {
            setAfterId(cursors.at(-1));
            setCursors(cursors.slice(0, -1));
          }}
        >
          ← Previous
        </button>
        <span class="muted">
          page {cursors.length + 1} · {page.data?.count ?? '…'} documents
        </span>
        <button
          type="button"
          disabled={page.data?.next == null}
          onClick={() => {
            setCursors([...cursors, afterId]);
            setAfterId(page.data?.next ?? undefined);
          }}
        >
          Next →
        </button>
      </div>
    </div>
  );
}
