// Collections: the list (dimension, metric, count); for the chosen one, its documents, a search
// (vector, keyword, hybrid, more-like-this, with filters) and a PCA projection of a sample.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Documents } from '../collections/Documents.js';
import { ProjectionChart } from '../collections/ProjectionChart.js';
import { SearchPanel } from '../collections/SearchPanel.js';
import { ErrorBox, formatNumber } from '../components.js';
import { useLoad } from '../hooks.js';
import type { CollectionSummary } from '../types.js';

/** `grpc`: the studio shows a gRPC server, which cannot list documents: search only. */
export function CollectionsPage({ grpc }: { readonly grpc: boolean }) {
  const list = useLoad(() => api<{ collections: CollectionSummary[] }>('/collections'), []);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [selectedDoc, setSelectedDoc] = useState<string | undefined>(undefined);
  const collections = list.data?.collections ?? [];
  const keyOf = (c: CollectionSummary) => `${c.namespace}/${c.name}`;
  const current = collections.find((c) => keyOf(c) === chosen) ?? collections[0];
  return (
    <section>
      <h1>Collections</h1>
      <ErrorBox error={list.error} />
      <table class="grid" data-testid="collections">
        <thead>
          <tr>
            <th>namespace</th>
            <th>collection</th>
            <th>dimension</th>
            <th>metric</th>
            <th>documents</th>
          </tr>
        </thead>
        <tbody>
          {collections.map((c) => (
            <tr
              key={keyOf(c)}
              class={current !== undefined && keyOf(c) === keyOf(current) ? 'selected clickable' : 'clickable'}
              onClick={() => {
                setChosen(keyOf(c));
                setSelectedDoc(undefined);
              }}
            >
              <td>{c.namespace}</td>
              <td>{c.name}</td>
              <td>{c.dimension ?? '–'}</td>
              <td>{c.metric}</td>
              <td class="num">{formatNumber(c.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data !== undefined && collections.length === 0 ? <p class="muted">No collections.</p> : null}
      {current === undefined ? null : (
        <div key={keyOf(current)}>
          {grpc ? (
            <>
              <p class="muted" data-testid="grpc-collections">
                Over gRPC documents cannot be listed or projected: search them below.
              </p>
              <SearchPanel collection={current} likeId={undefined} />
            </>
          ) : (
            <>
              <div class="split">
                <Documents collection={current} selected={selectedDoc} onSelect={setSelectedDoc} />
                <SearchPanel collection={current} likeId={selectedDoc} />
              </div>
              <ProjectionChart collection={current} />
            </>
          )}
        </div>
      )}
    </section>
  );
}
