// The shell: a nav bar and the page the URL's hash names (#/sql, …). Hash routes need nothing from
// the server beyond index.html at `/`, and survive a reload.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { ErrorBox } from './components.js';
import { useLoad } from './hooks.js';
import { CollectionsPage } from './pages/Collections.js';
import { GraphPage } from './pages/Graph.js';
import { KvPage } from './pages/Kv.js';
import { OverviewPage } from './pages/Overview.js';
import { QueuesPage } from './pages/Queues.js';
import { SqlPage } from './pages/Sql.js';
import type { Overview } from './types.js';

const PAGES = [
  { id: 'overview', title: 'Overview' },
  { id: 'kv', title: 'KV' },
  { id: 'sql', title: 'SQL' },
  { id: 'collections', title: 'Collections' },
  { id: 'queues', title: 'Queues' },
  { id: 'graph', title: 'Graph & temporal' },
] as const;
type PageId = (typeof PAGES)[number]['id'];

function pageOfHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '');
  return PAGES.find((p) => p.id === id)?.id ?? 'overview';
}

export function App() {
  const [page, setPage] = useState<PageId>(pageOfHash(location.hash));
  useEffect(() => {
    const onHash = () => setPage(pageOfHash(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  // Whether the studio may write decides which buttons exist; the API refuses changes anyway.
  const mode = useLoad(() => api<Overview>('/overview'), []);
  const write = mode.data?.write === true;
  // Over gRPC some controls cannot work (EXPLAIN, document lists, dead letters): they are hidden.
  const grpc = mode.data?.source === 'grpc';
  return (
    <div class="shell">
      <header>
        <span class="brand">SochDB Studio</span>
        <nav>
          {PAGES.map((p) => (
            <a href={`#/${p.id}`} class={p.id === page ? 'active' : ''} key={p.id}>
              {p.title}
            </a>
          ))}
        </nav>
        <span class={write ? 'badge write' : 'badge'} data-testid="mode">
          {mode.data === undefined ? '…' : write ? 'write mode' : 'read-only'}
        </span>
      </header>
      <main>
        <ErrorBox error={mode.error} />
        {page === 'overview' && <OverviewPage />}
        {page === 'kv' && <KvPage write={write} />}
        {page === 'sql' && <SqlPage write={write} grpc={grpc} />}
        {page === 'collections' && <CollectionsPage grpc={grpc} />}
        {page === 'queues' && <QueuesPage write={write} grpc={grpc} />}
        {page === 'graph' && <GraphPage />}
      </main>
    </div>
  );
}
