// Queues: counts over time (sampled every 2 s while the page is open), the next tasks, a task's
// attempts, and the dead letters with retry and purge in write mode.
import { useEffect, useState } from 'preact/hooks';
import { api, errorInfo, type ErrorInfo } from '../api.js';
import { ErrorBox } from '../components.js';
import { useLoad } from '../hooks.js';
import { CountsChart, type Sample } from '../queues/CountsChart.js';
import { TaskDetail } from '../queues/TaskDetail.js';
import type { QueueCounts, Task } from '../types.js';

/** Samples kept per queue: ten minutes at one every 2 s. */
const MAX_SAMPLES = 300;

/** `grpc`: the studio shows a gRPC server, which cannot list dead letters: that panel is left out. */
export function QueuesPage({ write, grpc }: { readonly write: boolean; readonly grpc: boolean }) {
  const list = useLoad(() => api<{ queues: QueueCounts[] }>('/queues'), [], 2000);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [samples, setSamples] = useState<ReadonlyMap<string, readonly Sample[]>>(new Map());
  const queues = list.data?.queues ?? [];
  const current = queues.find((q) => q.name === chosen) ?? queues[0];

  useEffect(() => {
    if (list.data === undefined) return;
    const at = Date.now();
    setSamples((old) => new Map(list.data?.queues.map((q) => [q.name, [...(old.get(q.name) ?? []), { at, counts: q }].slice(-MAX_SAMPLES)])));
  }, [list.data]);

  return (
    <section>
      <h1>Queues</h1>
      <ErrorBox error={list.error} />
      <table class="grid" data-testid="queues">
        <thead>
          <tr>
            <th>queue</th>
            <th>pending</th>
            <th>delayed</th>
            <th>claimed</th>
            <th>completed</th>
            <th title="Tasks that ran out of attempts since the queue was created">dead-lettered (all time)</th>
            <th>total</th>
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <tr key={q.name} class={q.name === current?.name ? 'selected clickable' : 'clickable'} onClick={() => setChosen(q.name)} data-queue={q.name}>
              <td>{q.name}</td>
              <td class="num">{q.pending}</td>
              <td class="num">{q.delayed}</td>
              <td class="num">{q.claimed}</td>
              <td class="num">{q.completed}</td>
              <td class="num">{q.deadLettered}</td>
              <td class="num">{q.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data !== undefined && queues.length === 0 ? <p class="muted">No queues.</p> : null}
      {current === undefined ? null : (
        <QueueDetail key={current.name} queue={current} samples={samples.get(current.name) ?? []} write={write} grpc={grpc} onChange={list.reload} />
      )}
    </section>
  );
}

function QueueDetail(props: {
  readonly queue: QueueCounts;
  readonly samples: readonly Sample[];
  readonly write: boolean;
  readonly grpc: boolean;
  readonly onChange: () => void;
}) {
  const { queue, samples, write, grpc, onChange } = props;
  const name = encodeURIComponent(queue.name);
  // Reloaded whenever the counts change, so the lists follow what the table shows.
  const version = JSON.stringify(queue);
  const top = useLoad(() => api<{ tasks: Task[] }>(`/queues/${name}/top?k=10`), [name, version]);
  const dead = useLoad(
    () => (grpc ? Promise.resolve({ letters: [] }) : api<{ letters: { heldIn: string; task: Task }[] }>(`/queues/${name}/dead`)),
    [name, version, grpc],
  );
  const [task, setTask] = useState<{ queue: string; id: string } | undefined>(undefined);
  const [failure, setFailure] = useState<ErrorInfo | undefined>(undefined);

  const act = async (path: string, method: string) => {
    try {
      await api(path, { method });
      setFailure(undefined);
      onChange();
    } catch (error) {
      setFailure(errorInfo(error));
    }
  };
  const letters = dead.data?.letters ?? [];
  return (
    <div>
      <div class="panel">
        <h2>{queue.name}: counts while this page is open</h2>
        <CountsChart samples={samples} />
      </div>
      <ErrorBox error={failure ?? top.error ?? dead.error} />
      <div class="split">
        <div class="panel">
          <h2>Next tasks</h2>
          <TaskTable tasks={top.data?.tasks ?? []} onOpen={(id) => setTask({ queue: queue.name, id })} testId="top-tasks" />
        </div>
        {grpc ? null : (
          <div class="panel">
            <h2>
              Dead letters <span data-testid="dead-count">({letters.length})</span>
            </h2>
            {letters.length === 0 ? <p class="muted">None.</p> : null}
            <table class="grid" data-testid="dead-letters">
              <tbody>
                {letters.map((l) => (
                  <tr key={`${l.heldIn}/${l.task.taskId}`}>
                    <td class="mono clickable" onClick={() => setTask({ queue: l.heldIn, id: l.task.taskId })}>
                      {l.task.taskId}
                    </td>
                    <td class="muted">in {l.heldIn}</td>
                    <td class="clip">{l.task.payload.text ?? `0x${l.task.payload.hex}`}</td>
                    <td>
                      {write ? (
                        <button
                          type="button"
                          onClick={() =>
                            void act(
                              `/queues/${name}/dead/${encodeURIComponent(l.task.taskId)}/retry${l.heldIn === queue.name ? '' : `?dlq=${encodeURIComponent(l.heldIn)}`}`,
                              'POST',
                            )
                          }
                        >
                          Retry
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {write && letters.length > 0 ? (
              <button
                type="button"
                class="danger"
                onClick={() => {
                  if (confirm(`Purge every dead letter of ${queue.name}?`)) void act(`/queues/${name}/dead`, 'DELETE');
                }}
              >
                Purge dead letters
              </button>
            ) : null}
            {!write && letters.length > 0 ? <p class="muted">Read-only: start the studio with --write to retry or purge.</p> : null}
          </div>
        )}
      </div>
      {task === undefined ? null : <TaskDetail key={`${task.queue}/${task.id}/${version}`} queue={task.queue} taskId={task.id} />}
    </div>
  );
}

function TaskTable({ tasks, onOpen, testId }: { readonly tasks: readonly Task[]; readonly onOpen: (id: string) => void; readonly testId: string }) {
  if (tasks.length === 0) return <p class="muted">None.</p>;
  return (
    <table class="grid" data-testid={testId}>
      <thead>
        <tr>
          <th>task</th>
          <th>priority</th>
          <th>state</th>
          <th>attempts</th>
          <th>payload</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr key={t.taskId} class="clickable" onClick={() => onOpen(t.taskId)}>
            <td class="mono">{t.taskId}</td>
            <td class="num">{t.priority}</td>
            <td>{t.state}</td>
            <td class="num">{t.attempts}</td>
            <td class="clip">{t.payload.text ?? `0x${t.payload.hex}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
