// A node's temporal edges over time: every version as a bar on a time axis, and a slider over the
// instants where they change showing which edges were valid then (a point-in-time query).
import { useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { ErrorBox } from '../components.js';
import { useLoad } from '../hooks.js';
import type { Timeline } from '../types.js';

const fmt = (ms: number) => (ms === 0 ? 'open' : ms < 1e11 ? String(ms) : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

export function TimelineView({ ns, node }: { readonly ns: string; readonly node: string }) {
  const timeline = useLoad(() => api<Timeline>(`/temporal/${encodeURIComponent(ns)}/timeline${query({ node })}`), [ns, node]);
  const [stop, setStop] = useState(0);
  const times = timeline.data?.times ?? [];
  const at = times[Math.min(stop, times.length - 1)];
  const valid = useLoad(
    () => (at === undefined ? Promise.resolve(undefined) : api<Timeline>(`/temporal/${encodeURIComponent(ns)}/timeline${query({ node, at })}`)),
    [ns, node, at],
  );
  const versions = timeline.data?.versions ?? [];
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? first + 1;
  // Open-ended versions run to a little past the last change.
  const end = last + Math.max(1, (last - first) * 0.15);
  const span = end - first || 1;
  return (
    <div class="panel">
      <h2>
        Temporal edges of <span class="mono">{node}</span>
      </h2>
      <ErrorBox error={timeline.error ?? valid.error} />
      {timeline.data !== undefined && versions.length === 0 ? <p class="muted">No temporal edges.</p> : null}
      <div class="timeline" data-testid="timeline">
        {versions.map((v, i) => {
          const from = ((v.validFrom - first) / span) * 100;
          const to = (((v.validUntil === 0 ? end : v.validUntil) - first) / span) * 100;
          const live = at !== undefined && v.validFrom <= at && (v.validUntil === 0 || at < v.validUntil);
          return (
            <div class="lane" key={i}>
              <span class="lane-label mono">
                {v.fromId} —{v.edgeType}→ {v.toId}
              </span>
              <span class="lane-track">
                <span
                  class={live ? 'bar live' : 'bar'}
                  style={{ left: `${from}%`, width: `${Math.max(1, to - from)}%` }}
                  title={`${fmt(v.validFrom)} … ${fmt(v.validUntil)}`}
                />
              </span>
            </div>
          );
        })}
      </div>
      {times.length === 0 ? null : (
        <div class="toolbar">
          <label>
            at{' '}
            <input
              type="range"
              min={0}
              max={times.length - 1}
              value={Math.min(stop, times.length - 1)}
              onInput={(e) => setStop(Number(e.currentTarget.value))}
              aria-label="time"
            />
          </label>
          <span class="mono">{at === undefined ? '' : fmt(at)}</span>
          <span data-testid="valid-at">valid then: {(valid.data?.valid ?? []).map((v) => `${v.edgeType} → ${v.toId}`).join(', ') || 'nothing'}</span>
        </div>
      )}
    </div>
  );
}
