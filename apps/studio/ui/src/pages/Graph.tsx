// Graph and temporal: a node's neighbourhood (click a node to expand it) and its temporal edges.
import { useState } from 'preact/hooks';
import { api, errorInfo, query, type ErrorInfo } from '../api.js';
import { ErrorBox, formText } from '../components.js';
import { GraphView, graphKey } from '../graph/GraphView.js';
import { TimelineView } from '../graph/TimelineView.js';
import type { GraphView as Graph } from '../types.js';

/** Two graphs as one: every node and edge of either. */
function merge(a: Graph | undefined, b: Graph): Graph {
  if (a === undefined) return b;
  const nodes = new Map([...a.nodes, ...b.nodes].map((n) => [n.id, n]));
  const edges = new Map([...a.edges, ...b.edges].map((e) => [`${e.fromId}|${e.edgeType}|${e.toId}`, e]));
  return { root: a.root, nodes: [...nodes.values()], edges: [...edges.values()], truncated: a.truncated || b.truncated };
}

export function GraphPage() {
  const [target, setTarget] = useState<{ ns: string; node: string } | undefined>(undefined);
  const [graph, setGraph] = useState<Graph | undefined>(undefined);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<ErrorInfo | undefined>(undefined);

  const load = async (ns: string, node: string, fresh: boolean) => {
    try {
      const more = await api<Graph>(`/graph/${encodeURIComponent(ns)}/neighbors${query({ node, depth: 1 })}`);
      setGraph((old) => (fresh ? more : merge(old, more)));
      setSelected(node);
      setFailure(undefined);
    } catch (error) {
      setFailure(errorInfo(error));
    }
  };
  return (
    <section>
      <h1>Graph and temporal</h1>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const ns = formText(data, 'ns').trim();
          const node = formText(data, 'node').trim();
          if (ns === '' || node === '') return;
          setTarget({ ns, node });
          setGraph(undefined);
          void load(ns, node, true);
        }}
      >
        <label>
          namespace <input name="ns" placeholder="social" defaultValue={target?.ns ?? ''} />
        </label>
        <label>
          node <input name="node" placeholder="alice" defaultValue={target?.node ?? ''} />
        </label>
        <button type="submit">Show</button>
        <span class="muted">Click a node to add its neighbours.</span>
      </form>
      <ErrorBox error={failure} />
      {target === undefined ? null : (
        <>
          <div class="panel">
            <p class="muted" data-testid="graph-summary">
              {graph === undefined ? '…' : `${graph.nodes.length} node(s), ${graph.edges.length} edge(s)${graph.truncated ? ' (truncated)' : ''}`}
              {selected === undefined ? '' : ` · selected ${selected}`}
            </p>
            <GraphView key={graphKey(target.ns, target.node)} graph={graph} onExpand={(node) => void load(target.ns, node, false)} />
            <div class="toolbar" data-testid="graph-nodes">
              <span class="muted">expand:</span>
              {(graph?.nodes ?? []).map((n) => (
                <button type="button" key={n.id} class={n.id === selected ? 'active' : ''} onClick={() => void load(target.ns, n.id, false)}>
                  {n.id}
                </button>
              ))}
            </div>
          </div>
          <TimelineView ns={target.ns} node={selected ?? target.node} />
        </>
      )}
    </section>
  );
}
