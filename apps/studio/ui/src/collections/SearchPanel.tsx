// Search a collection: by text (BM25), by a pasted vector, both (hybrid), or "more like this
// document"; with a metadata filter; hits shown with their scores.
import { useState } from 'preact/hooks';
import { api, errorInfo, type ErrorInfo } from '../api.js';
import { ErrorBox } from '../components.js';
import type { Search } from '../forms.js';
import type { CollectionSummary, Hit } from '../types.js';
import { FilterForm, filterOf, type FilterRow } from './FilterForm.js';

/** A pasted vector: numbers separated by commas or spaces, with or without brackets. */
function parseVector(text: string): number[] | undefined {
  const parts = text
    .replace(/[[\]]/g, ' ')
    .split(/[\s,]+/)
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const numbers = parts.map(Number);
  if (numbers.some((n) => !Number.isFinite(n))) throw new Error(`not a vector of numbers: ${text.slice(0, 60)}`);
  return numbers;
}

export function SearchPanel({ collection, likeId }: { readonly collection: CollectionSummary; readonly likeId: string | undefined }) {
  const [textQuery, setTextQuery] = useState('');
  const [vectorText, setVectorText] = useState('');
  const [k, setK] = useState(10);
  const [alpha, setAlpha] = useState(0.5);
  const [filters, setFilters] = useState<readonly FilterRow[]>([]);
  const [hits, setHits] = useState<{ mode: string; hits: readonly Hit[] } | undefined>(undefined);
  const [failure, setFailure] = useState<ErrorInfo | undefined>(undefined);

  const search = async (like: string | undefined) => {
    try {
      const vector = like === undefined ? parseVector(vectorText) : undefined;
      const filter = filterOf(filters);
      const body: Search = {
        k,
        ...(like === undefined ? {} : { likeId: like }),
        ...(vector === undefined ? {} : { vector }),
        ...(textQuery.trim() === '' || like !== undefined ? {} : { textQuery: textQuery.trim() }),
        ...(vector !== undefined && textQuery.trim() !== '' ? { alpha } : {}),
        ...(filter === undefined ? {} : { filter }),
      };
      const path = `/collections/${encodeURIComponent(collection.namespace)}/${encodeURIComponent(collection.name)}/search`;
      setHits(await api<{ mode: string; hits: Hit[] }>(path, { method: 'POST', body }));
      setFailure(undefined);
    } catch (error) {
      setFailure(errorInfo(error));
    }
  };
  return (
    <div class="panel">
      <h2>Search</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void search(undefined);
        }}
      >
        <div class="toolbar">
          <input
            class="grow"
            placeholder="text query (keyword search)"
            aria-label="text query"
            value={textQuery}
            onInput={(e) => setTextQuery(e.currentTarget.value)}
          />
        </div>
        <div class="toolbar">
          <input
            class="grow mono"
            placeholder={`vector: ${collection.dimension ?? 'n'} numbers, e.g. 1, 0, 0, 0`}
            aria-label="vector"
            value={vectorText}
            onInput={(e) => setVectorText(e.currentTarget.value)}
          />
        </div>
        <div class="toolbar">
          <label>
            k <input type="number" min={1} max={1000} value={k} onInput={(e) => setK(Number(e.currentTarget.value) || 10)} class="short" />
          </label>
          <label title="Hybrid: the weight of the vector ranking (1 = vector only, 0 = text only)">
            alpha <input type="number" min={0} max={1} step={0.1} value={alpha} onInput={(e) => setAlpha(Number(e.currentTarget.value))} class="short" />
          </label>
          <button type="submit">Search</button>
          {likeId === undefined ? null : (
            <button type="button" onClick={() => void search(likeId)}>
              More like {likeId}
            </button>
          )}
        </div>
        <FilterForm rows={filters} onChange={setFilters} />
      </form>
      <ErrorBox error={failure} />
      {hits === undefined ? null : (
        <>
          <p class="muted" data-testid="search-mode">
            {hits.hits.length} hit(s) · {hits.mode} search
          </p>
          <table class="grid" data-testid="hits">
            <thead>
              <tr>
                <th>#</th>
                <th>id</th>
                <th>score</th>
                <th>metadata</th>
                <th>content</th>
              </tr>
            </thead>
            <tbody>
              {hits.hits.map((h, i) => (
                <tr key={h.id}>
                  <td class="num">{i + 1}</td>
                  <td class="mono">{h.id}</td>
                  <td class="num">{h.score.toFixed(4)}</td>
                  <td class="mono clip">{JSON.stringify(h.metadata)}</td>
                  <td class="clip">{h.content ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
