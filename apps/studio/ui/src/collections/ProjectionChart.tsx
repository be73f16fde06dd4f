// A 2-D PCA scatter of a sample of the collection's vectors, coloured by a metadata field.
// chart.js is loaded when this is first shown, so other pages do not pay for it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { ErrorBox } from '../components.js';
import { useLoad } from '../hooks.js';
import type { CollectionSummary, Projection } from '../types.js';
import { PALETTE } from '../palette.js';

export function ProjectionChart({ collection }: { readonly collection: CollectionSummary }) {
  const [color, setColor] = useState('');
  const base = `/collections/${encodeURIComponent(collection.namespace)}/${encodeURIComponent(collection.name)}/projection`;
  const projection = useLoad(() => api<Projection>(`${base}${query({ sample: 500, color })}`), [base, color]);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const data = projection.data;
    if (data === undefined || canvas.current === null) return undefined;
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    const target = canvas.current;
    void import('../charts.js').then(({ chartClass }) => {
      const Chart = chartClass();
      if (cancelled) return;
      const groups = data.colors.length === 0 ? [null] : data.colors;
      chart = new Chart(target, {
        type: 'scatter',
        data: {
          datasets: groups.map((value, i) => ({
            label: data.colorField === null ? 'documents' : `${data.colorField} = ${JSON.stringify(value)}`,
            data: data.points
              .filter((p) => data.colorField === null || JSON.stringify(p.color) === JSON.stringify(value))
              .map((p) => ({ x: p.x, y: p.y, id: p.id })),
            backgroundColor: PALETTE[i % PALETTE.length],
            pointRadius: 4,
          })),
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: {
            x: { title: { display: true, text: `PC1 (${(data.explainedVariance[0] * 100).toFixed(0)}% of variance)` } },
            y: { title: { display: true, text: `PC2 (${(data.explainedVariance[1] * 100).toFixed(0)}% of variance)` } },
          },
          plugins: {
            tooltip: {
              callbacks: { label: (item) => String((item.raw as { id?: string }).id ?? '') },
            },
          },
        },
      });
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [projection.data]);

  return (
    <div class="panel">
      <h2>Projection (PCA)</h2>
      <div class="toolbar">
        <label>
          colour by metadata field{' '}
          <input placeholder="e.g. topic" value={color} onChange={(e) => setColor(e.currentTarget.value.trim())} aria-label="colour field" />
        </label>
        {projection.data === undefined ? null : (
          <span class="muted">
            {projection.data.points.length} of {projection.data.total} documents
          </span>
        )}
      </div>
      <ErrorBox error={projection.error} />
      <div class="chart">
        <canvas ref={canvas} data-testid="projection" />
      </div>
    </div>
  );
}
