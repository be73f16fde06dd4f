// Overview: the database's counters and what each namespace holds, refreshed every 2 s.
import { api } from '../api.js';
import { ErrorBox, formatBytes, formatNumber } from '../components.js';
import { useLoad } from '../hooks.js';
import type { Overview } from '../types.js';

export function OverviewPage() {
  const { data, error } = useLoad(() => api<Overview>('/overview'), [], 2000);
  return (
    <section>
      <h1>Overview</h1>
      <ErrorBox error={error} />
      {data === undefined ? (
        <p class="muted">Loading…</p>
      ) : (
        <>
          <p class="muted">
            {data.path} ·{' '}
            {data.source === 'grpc' ? 'gRPC server' : data.source === 'ipc' ? 'through the IPC server' : data.concurrent ? 'shared (concurrent)' : 'exclusive'}{' '}
            · {data.write ? 'write mode' : 'read-only'}
          </p>
          {data.stats === null ? (
            <p class="muted" data-testid="no-stats">
              Storage counters are not available over gRPC.
            </p>
          ) : (
            <Counters sizeBytes={data.sizeBytes} stats={data.stats} />
          )}
          <h2>Namespaces</h2>
          {data.namespaces.length === 0 ? <p class="muted">No namespaces.</p> : null}
          <table class="grid">
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
              {data.namespaces.flatMap((ns) =>
                ns.collections.length === 0
                  ? [
                      <tr key={ns.name}>
                        <td>{ns.name}</td>
                        <td class="muted" colSpan={4}>
                          no collections
                        </td>
                      </tr>,
                    ]
                  : ns.collections.map((c) => (
                      <tr key={`${ns.name}/${c.name}`}>
                        <td>{ns.name}</td>
                        <td>{c.name}</td>
                        <td>{c.dimension ?? '–'}</td>
                        <td>{c.metric}</td>
                        <td class="num">{formatNumber(c.count)}</td>
                      </tr>
                    )),
              )}
            </tbody>
          </table>
          <h2>Queues</h2>
          <table class="grid">
            <thead>
              <tr>
                <th>queue</th>
                <th>pending</th>
                <th>delayed</th>
                <th>claimed</th>
                <th>completed</th>
                <th title="Tasks that ran out of attempts since the queue was created">dead-lettered (all time)</th>
              </tr>
            </thead>
            <tbody>
              {data.queues.map((q) => (
                <tr key={q.name}>
                  <td>{q.name}</td>
                  <td class="num">{q.pending}</td>
                  <td class="num">{q.delayed}</td>
                  <td class="num">{q.claimed}</td>
                  <td class="num">{q.completed}</td>
                  <td class="num">{q.deadLettered}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Card({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <div class="card">
      <div class="label">{label}</div>
      <div class="figure">{value}</div>
    </div>
  );
}

/** The storage counters, as cards. */
function Counters({ sizeBytes, stats }: { readonly sizeBytes: number | null; readonly stats: Readonly<Record<string, unknown>> }) {
  return (
    <div class="cards">
      <Card label="Size on disk" value={sizeBytes === null ? '–' : formatBytes(sizeBytes)} />
      <Card label="LSN" value={formatNumber(stats['lsn'])} />
      <Card label="Keys" value={formatNumber(stats['keysCount'])} />
      <Card label="Commits" value={formatNumber(stats['transactionsCommitted'])} />
      <Card label="Aborts" value={formatNumber(stats['transactionsAborted'])} />
      <Card label="Fsyncs" value={formatNumber(stats['syncs'])} />
      <Card label="Open transactions" value={formatNumber(stats['activeTransactions'])} />
      <Card label="Bytes written" value={formatBytes(stats['bytesWritten'])} />
    </div>
  );
}
