// A node's neighbourhood drawn with cytoscape; clicking a node adds its own neighbours.
// cytoscape is loaded when this is first shown, so other pages do not pay for it.
import { useEffect, useRef } from 'preact/hooks';
import type { Core, ElementDefinition, NodeSingular } from 'cytoscape';
import { PALETTE } from '../palette.js';
import type { GraphView as Graph } from '../types.js';

function elementsOf(graph: Graph, types: Map<string, string>): ElementDefinition[] {
  const color = (type: string) => {
    if (!types.has(type)) types.set(type, PALETTE[types.size % PALETTE.length] ?? '#4b5563');
    return types.get(type) ?? '#4b5563';
  };
  return [
    ...graph.nodes.map((n) => ({ group: 'nodes' as const, data: { id: n.id, label: n.id, color: color(n.type), type: n.type } })),
    ...graph.edges.map((e) => ({
      group: 'edges' as const,
      data: { id: `${e.fromId}|${e.edgeType}|${e.toId}`, source: e.fromId, target: e.toId, label: e.edgeType },
    })),
  ];
}

export function GraphView({ graph, onExpand }: { readonly graph: Graph | undefined; readonly onExpand: (node: string) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | undefined>(undefined);
  const types = useRef(new Map<string, string>());
  const expand = useRef(onExpand);
  expand.current = onExpand;
  // cytoscape loads asynchronously: when it is ready it draws whatever graph is current then.
  const latest = useRef(graph);
  latest.current = graph;

  useEffect(() => {
    let cancelled = false;
    void import('cytoscape').then(({ default: cytoscape }) => {
      if (cancelled || box.current === null) return;
      cy.current = cytoscape({
        container: box.current,
        // A graph of two nodes should not fill the screen.
        maxZoom: 1.5,
        style: [
          {
            selector: 'node',
            style: { label: 'data(label)', 'background-color': 'data(color)', color: '#111827', 'font-size': 12, 'text-valign': 'bottom', 'text-margin-y': 4 },
          },
          { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#111827' } },
          {
            selector: 'edge',
            style: {
              label: 'data(label)',
              width: 1.5,
              'line-color': '#9ca3af',
              'target-arrow-color': '#9ca3af',
              'target-arrow-shape': 'triangle',
              'curve-style': 'bezier',
              'font-size': 10,
              color: '#4b5563',
              'text-rotation': 'autorotate',
              // Labels sit on their edge: a white backing keeps them readable.
              'text-background-color': '#ffffff',
              'text-background-opacity': 1,
              'text-background-padding': '2px',
            },
          },
        ],
      });
      cy.current.on('tap', 'node', (event) => {
        const node = event.target as NodeSingular;
        expand.current(node.id());
      });
      setTimeout(() => {
        if (!cancelled) draw();
      }, 0);
    });
    return () => {
      cancelled = true;
      cy.current?.destroy();
      cy.current = undefined;
    };
  }, []);

  // New nodes and edges are added to what is drawn, so expanding keeps the picture growing.
  const draw = () => {
    const c = cy.current;
    const shown = latest.current;
    if (c === undefined || shown === undefined) return;
    const fresh = elementsOf(shown, types.current).filter((el) => el.data.id === undefined || c.getElementById(el.data.id).empty());
    if (fresh.length === 0) return;
    c.add(fresh);
    // Rows of hops from the node asked for: a neighbourhood reads best as levels below its root.
    c.layout({ name: 'breadthfirst', roots: [shown.root], directed: false, spacingFactor: 2, padding: 30, animate: false }).run();
  };
  useEffect(draw, [graph]);

  return <div class="graph" ref={box} data-testid="graph" />;
}

/** Clears the drawing (a new root). */
export function graphKey(ns: string, root: string): string {
  return `${ns}\u0000${root}`;
}
