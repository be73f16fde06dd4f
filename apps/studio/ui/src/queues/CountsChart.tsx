// A queue's counts over time, sampled while the page is open (the database keeps no history).
import { useEffect, useRef } from 'preact/hooks';
import type { QueueCounts } from '../types.js';

export interface Sample {
  readonly at: number;
  readonly counts: QueueCounts;
}

const SERIES = [
  { key: 'pending', label: 'pending', color: '#2563eb' },
  { key: 'delayed', label: 'delayed', color: '#ca8a04' },
  { key: 'claimed', label: 'claimed', color: '#16a34a' },
  { key: 'deadLettered', label: 'dead-lettered (all time)', color: '#dc2626' },
] as const;

export function CountsChart({ samples }: { readonly samples: readonly Sample[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<import('chart.js').Chart<'line'> | undefined>(undefined);
  // chart.js loads asynchronously: once it is there it shows the samples current then.
  const latest = useRef(samples);
  latest.current = samples;

  const show = () => {
    const c = chart.current;
    if (c === undefined) return;
    c.data.labels = latest.current.map((s) => new Date(s.at).toLocaleTimeString());
    SERIES.forEach((s, i) => {
      const dataset = c.data.datasets[i];
      if (dataset !== undefined) dataset.data = latest.current.map((sample) => sample.counts[s.key]);
    });
    c.update();
  };

  useEffect(() => {
    let cancelled = false;
    const target = canvas.current;
    if (target === null) return undefined;
    void import('../charts.js').then(({ chartClass }) => {
      const Chart = chartClass();
      if (cancelled) return;
      chart.current = new Chart(target, {
        type: 'line',
        data: { labels: [], datasets: SERIES.map((s) => ({ label: s.label, data: [], borderColor: s.color, backgroundColor: s.color, tension: 0.2 })) },
        options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
      show();
    });
    return () => {
      cancelled = true;
      chart.current?.destroy();
      chart.current = undefined;
    };
  }, []);

  useEffect(show, [samples]);

  return (
    <div class="chart small">
      <canvas ref={canvas} data-testid="queue-chart" />
    </div>
  );
}
