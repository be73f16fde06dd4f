import type { QueryPlan } from './plan-types.js';

/** Whether a query reads the row of a query enclosing it (its own module: the executor needs it too). */
export function isCorrelated(plan: QueryPlan): boolean {
  return plan.kind === 'select' ? plan.scope.correlated : plan.members.some((m) => m.scope.correlated);
}
