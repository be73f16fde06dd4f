import { ConstraintError } from '@sochdb/core';
import { prepareSubqueries } from '../exec/select-exec.js';
import { RaiseSignal } from '../expr/trigger-refs.js';
import type { Runtime } from '../expr/scope.js';
import { statementNow } from '../values/datetime/clock.js';
import { columnIndex, nameKey, type TableDef } from '../schema/schema.js';
import type { TriggerDef } from '../schema/trigger-def.js';
import { truth, type SqlValue } from '../values/values.js';
import type { DmlContext } from '../write/dml-context.js';
import { LayeredStore } from '../write/layered-store.js';
import { markRaised, type RowEvent, type RowTriggers } from '../write/row-triggers.js';
import { StatementWrites } from '../write/writes.js';
import { pseudoParam, triggerProgram, type TriggerTarget } from './trigger-body.js';
import type { ExecContext, TriggerFrame } from './statement.js';

// Running SQL triggers: which fire for a row, their WHEN, and their steps, each run as a statement
// nested in the one that fired it (reading through its writes, writing into them: see
// layered-store.ts), so the firing statement stays atomic with everything its triggers do.

/** The SQL triggers a statement's row writes fire; undefined when the schema has none. */
export function rowTriggers(ec: ExecContext, dc: DmlContext): RowTriggers | undefined {
  if (!ec.catalog.hasTriggers(ec.txn)) return undefined;
  return new TriggerRunner(ec, dc);
}

export function tableTarget(table: TableDef): TriggerTarget {
  return { columns: table.columns, rowidColumn: table.rowidColumn };
}

class TriggerRunner implements RowTriggers {
  readonly #found = new Map<TableDef, Map<RowEvent, TriggerDef[]>>();

  constructor(
    private readonly ec: ExecContext,
    private readonly dc: DmlContext,
  ) {}

  /** The BEFORE and AFTER triggers on `table` for `event`, less those already running (recursive_triggers off). */
  #triggers(table: TableDef, event: RowEvent): TriggerDef[] {
    let byEvent = this.#found.get(table);
    if (!byEvent) this.#found.set(table, (byEvent = new Map<RowEvent, TriggerDef[]>()));
    let list = byEvent.get(event);
    if (!list) {
      const active = this.ec.frame?.active;
      list = this.ec.catalog.triggersOn(table.name, this.ec.txn).filter((t) => t.event === event && t.timing !== 'INSTEAD OF' && !active?.has(nameKey(t.name)));
      byEvent.set(event, list);
    }
    return list;
  }

  has(table: TableDef, event: RowEvent): boolean {
    return this.#triggers(table, event).length > 0;
  }

  before(
    table: TableDef,
    event: RowEvent,
    oldRow: readonly SqlValue[] | undefined,
    newRow: readonly SqlValue[] | undefined,
    setColumns: ReadonlySet<number> | undefined,
  ): Promise<boolean> {
    return this.#fire(table, 'BEFORE', event, oldRow, newRow, setColumns);
  }

  async after(
    table: TableDef,
    event: RowEvent,
    oldRow: readonly SqlValue[] | undefined,
    newRow: readonly SqlValue[] | undefined,
    setColumns: ReadonlySet<number> | undefined,
  ): Promise<void> {
    await this.#fire(table, 'AFTER', event, oldRow, newRow, setColumns);
  }

  async #fire(
    table: TableDef,
    timing: 'BEFORE' | 'AFTER',
    event: RowEvent,
    oldRow: readonly SqlValue[] | undefined,
    newRow: readonly SqlValue[] | undefined,
    setColumns: ReadonlySet<number> | undefined,
  ): Promise<boolean> {
    for (const trigger of this.#triggers(table, event)) {
      if (trigger.timing !== timing || !firesFor(trigger, setColumns, (c) => columnIndex(table, c))) continue;
      if ((await runTrigger(this.ec, this.dc, trigger, tableTarget(table), oldRow, newRow)) === 'ignored') return false;
    }
    return true;
  }
}

/** UPDATE OF a, b: the trigger fires when the statement assigns one of its columns. */
export function firesFor(trigger: TriggerDef, setColumns: ReadonlySet<number> | undefined, indexOf: (name: string) => number): boolean {
  if (trigger.event !== 'UPDATE' || !trigger.columns || !setColumns) return true;
  return trigger.columns.some((c) => setColumns.has(indexOf(c)));
}

/**
 * Runs one trigger program for one row: its WHEN, then each step as a nested statement.
 * 'ignored' when RAISE(IGNORE) stopped it (the firing row is then skipped); RAISE(ABORT / FAIL /
 * ROLLBACK, msg) becomes the statement's error, with SQLite's message and code (a constraint).
 */
export async function runTrigger(
  ec: ExecContext,
  dc: DmlContext,
  trigger: TriggerDef,
  target: TriggerTarget,
  oldRow: readonly SqlValue[] | undefined,
  newRow: readonly SqlValue[] | undefined,
): Promise<'done' | 'ignored'> {
  const env = ec.env!;
  const program = triggerProgram(trigger, target, ec.catalog, ec.txn, env);
  const named = new Map<string, SqlValue>();
  oldRow?.forEach((v, i) => named.set(pseudoParam('old', i), v));
  newRow?.forEach((v, i) => named.set(pseudoParam('new', i), v));
  const params = { positional: [], named };
  const layered = new LayeredStore(ec.writes);
  try {
    if (program.when) {
      const rt: Runtime = { params, subqueries: new Map(), nowMs: statementNow(ec.rt), connection: ec.rt.connection };
      await prepareSubqueries(program.whenSubqueries, rt, { reader: layered, keys: ec.keys, cache: undefined });
      if (truth(program.when({ row: [], outer: undefined, rt })) !== true) return 'done';
    }
    const frame: TriggerFrame = {
      active: new Set([...(ec.frame?.active ?? []), nameKey(trigger.name)]),
      deferred: dc.deferred,
      afterTriggers: dc.afterTriggers,
      sequences: dc.sequences,
    };
    for (const step of program.steps) {
      const writes = new StatementWrites(layered);
      const result = await step.run({
        ...ec,
        writes,
        base: layered,
        rt: { params, subqueries: new Map(), nowMs: statementNow(ec.rt), connection: ec.rt.connection },
        rowCache: undefined,
        frame,
      });
      // RAISE(FAIL) in a step's own triggers: the step kept its earlier rows; so does this statement.
      if (result.error !== undefined) throw result.error;
    }
    return 'done';
  } catch (error) {
    if (!(error instanceof RaiseSignal)) throw error;
    if (error.action === 'IGNORE') return 'ignored';
    const failure = new ConstraintError(error.text, {
      table: trigger.table,
      constraint: 'TRIGGER',
      remediation: `Trigger ${trigger.name} refused the change (RAISE(${error.action})).`,
    });
    if (error.action !== 'ABORT') markRaised(failure, error.action);
    throw failure;
  }
}
