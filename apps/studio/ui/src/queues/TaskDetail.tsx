// One task: its state, payload and every attempt (who claimed it, when, how it ended).
import { api } from '../api.js';
import { ErrorBox, ValueViewer } from '../components.js';
import { useLoad } from '../hooks.js';
import type { Task } from '../types.js';

const time = (ms: number | undefined) => (ms === undefined ? '–' : new Date(ms).toLocaleString());

export function TaskDetail({ queue, taskId }: { readonly queue: string; readonly taskId: string }) {
  const task = useLoad(() => api<{ task: Task }>(`/queues/${encodeURIComponent(queue)}/tasks/${encodeURIComponent(taskId)}`), [queue, taskId]);
  const t = task.data?.task;
  return (
    <div class="panel" data-testid="task-detail">
      <h2>
        Task <span class="mono">{taskId}</span> in {queue}
      </h2>
      <ErrorBox error={task.error} />
      {t === undefined ? null : (
        <>
          <p>
            state <strong>{t.state}</strong> · priority {t.priority} · {t.attempts} attempt(s) · enqueued {time(t.enqueuedAt)}
          </p>
          {Object.keys(t.metadata).length > 0 ? (
            <>
              <h3>Metadata</h3>
              <pre class="mono">{JSON.stringify(t.metadata, null, 2)}</pre>
            </>
          ) : null}
          <h3>Payload</h3>
          <ValueViewer value={t.payload} />
          <h3>Attempts</h3>
          {t.history.length === 0 ? (
            <p class="muted">No attempts yet.</p>
          ) : (
            <table class="grid">
              <thead>
                <tr>
                  <th>#</th>
                  <th>worker</th>
                  <th>claimed</th>
                  <th>ended</th>
                  <th>outcome</th>
                </tr>
              </thead>
              <tbody>
                {t.history.map((a, i) => (
                  <tr key={i}>
                    <td class="num">{i + 1}</td>
                    <td>{a.workerId}</td>
                    <td>{time(a.claimedAt)}</td>
                    <td>{time(a.endedAt)}</td>
                    <td>{a.outcome}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
