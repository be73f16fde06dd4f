// EXPLAIN QUERY PLAN as a tree of nested lists.
import type { PlanNode } from '../types.js';

export function PlanTree({ plan }: { readonly plan: readonly PlanNode[] }) {
  return (
    <ul class="plan" data-testid="plan">
      {plan.map((node) => (
        <li key={node.id}>
          <span class="mono">{node.detail}</span>
          {node.children.length > 0 ? <PlanTree plan={node.children} /> : null}
        </li>
      ))}
    </ul>
  );
}
