// SQL: an editor with history, the result in a sortable, paged grid with its token counts, the
// plan of EXPLAIN as a tree, errors pointing at their line and column, and exports.
import { useState } from 'preact/hooks';
import { api, errorInfo, query, type ErrorInfo } from '../api.js';
import { ErrorBox } from '../components.js';
import type { SqlRequest } from '../forms.js';
import { loadHistory, remember } from '../sql/history.js';
import { PlanTree } from '../sql/PlanTree.js';
import { ResultGrid } from '../sql/ResultGrid.js';
import type { PlanNode, SqlPage as Result } from '../types.js';

/** Rows fetched at once; the grid sorts and pages these in the browser. */
const FETCH_ROWS = 5000;
const EXPLAIN = /^\s*explain\s+(?:query\s+plan\s+)?/i;

/** `grpc`: the studio shows a gRPC server, which cannot EXPLAIN: the button is left out. */
export function SqlPage({ write, grpc }: { readonly write: boolean; readonly grpc: boolean }) {
  const [sql, setSql] = useState(loadHistory()[0] ?? 'SELECT * FROM sqlite_master');
  const [history, setHistory] = useState(loadHistory());
  const [result, setResult] = useState<{ sql: string; page: Result } | undefined>(undefined);
  const [plan, setPlan] = useState<readonly PlanNode[] | undefined>(undefined);
  const [failure, setFailure] = useState<{ sql: string; error: ErrorInfo } | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const run = async (explain: boolean) => {
    const text = sql.trim();
    if (text === '') return;
    setBusy(true);
    setHistory(remember(text));
    try {
      if (explain || EXPLAIN.test(text)) {
        const body = await api<{ plan: PlanNode[] }>('/sql/explain', { method: 'POST', body: { sql: text.replace(EXPLAIN, '') } });
        setPlan(body.plan);
      } else {
        const request: SqlRequest = { sql: text, limit: FETCH_ROWS };
        setResult({ sql: text, page: await api<Result>('/sql', { method: 'POST', body: request }) });
        setPlan(undefined);
      }
      setFailure(undefined);
    } catch (error) {
      setFailure({ sql: text, error: errorInfo(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h1>SQL</h1>
      <div class="split wide-left">
        <div>
          <textarea
            class="editor mono"
            rows={8}
            spellcheck={false}
            aria-label="SQL"
            value={sql}
            onInput={(e) => setSql(e.currentTarget.value)}
            onKeyDown={(e) => {
              if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') void run(false);
            }}
          />
          <div class="toolbar">
            <button type="button" disabled={busy} onClick={() => void run(false)}>
              Run
            </button>
            {grpc ? null : (
              <button type="button" disabled={busy} onClick={() => void run(true)}>
                Explain
              </button>
            )}
            <span class="muted">Ctrl+Enter runs · {write ? 'writes allowed' : 'read-only'}</span>
          </div>
        </div>
        <div class="history">
          <h2>History</h2>
          <ul>
            {history.map((h) => (
              <li key={h}>
                <button type="button" class="link mono" title={h} onClick={() => setSql(h)}>
                  {h}
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
      {failure === undefined ? null : (
        <>
          <ErrorBox error={failure.error} />
          <ErrorPointer sql={failure.sql} error={failure.error} />
        </>
      )}
      {plan === undefined ? null : (
        <div class="panel">
          <h2>Query plan</h2>
          <PlanTree plan={plan} />
        </div>
      )}
      {result === undefined ? null : <ResultView sql={result.sql} page={result.page} />}
    </section>
  );
}

function ResultView({ sql, page }: { readonly sql: string; readonly page: Result }) {
  const link = (format: string) => `/api/sql/export${query({ sql, format })}`;
  return (
    <div class="panel">
      <div class="toolbar">
        <span data-testid="sql-summary">
          {page.columns.length === 0 ? `${page.rowsAffected} row(s) affected` : `${page.rowCount} row(s)`}
          {page.rowCount > page.rows.length ? ` (first ${page.rows.length} shown)` : ''}
        </span>
        <span class="muted" data-testid="sql-tokens">
          tokens: TOON {page.tokens.toon} · JSON {page.tokens.json}
        </span>
        <span class="spacer" />
        {sql.length <= 100_000
          ? (['csv', 'json', 'toon'] as const).map((f) => (
              <a class="button" href={link(f)} download={`result.${f}`} key={f}>
                Export {f.toUpperCase()}
              </a>
            ))
          : null}
      </div>
      {page.columns.length > 0 ? <ResultGrid key={sql} columns={page.columns} rows={page.rows} /> : null}
    </div>
  );
}

/** The line an SQL error names, with a caret under its column. */
function ErrorPointer({ sql, error }: { readonly sql: string; readonly error: ErrorInfo }) {
  if (error.line === undefined) return null;
  const line = sql.split('\n')[error.line - 1];
  if (line === undefined) return null;
  return (
    <pre class="pointer" data-testid="sql-error-pointer">
      {line}
      {'\n'}
      {' '.repeat(Math.max(0, (error.column ?? 1) - 1))}^
    </pre>
  );
}
