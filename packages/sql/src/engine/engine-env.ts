import type { Transaction } from '@sochdb/core';
import type { CompileContext } from '../plan/plan-types.js';
import type { Catalog } from '../schema/catalog.js';
import type { KeySpace } from '../schema/keys.js';
import type { ViewDef } from '../schema/schema.js';
import { schemaView } from '../schema/sqlite-master.js';
import type { StatementEnv } from '../statements/statement.js';
import { compile } from '../statements/compile.js';
import { rowTriggers } from '../statements/trigger-run.js';
import type { SchemaLookup } from '../plan/pragma-tables.js';
import { pragmaView } from '../plan/pragma-functions.js';
import { viewColumns } from '../plan/view-columns.js';

/**
 * What an engine gives each statement: its per-engine settings (PRAGMA foreign_keys, which is
 * per connection in SQLite and per engine here) and how statements compile — the same way for a
 * statement the caller runs and for a trigger program's steps.
 */
export class EngineEnv implements StatementEnv {
  /**
   * PRAGMA foreign_keys. SQLite's default is OFF per connection; this engine has always enforced
   * foreign keys, so it keeps ON as its default (a PRAGMA turns it off for this engine only).
   */
  foreignKeys = true;

  constructor(
    private readonly keys: KeySpace,
    private readonly recursiveRows: number,
  ) {}

  compileContext(catalog: Catalog, txn: Transaction | undefined): CompileContext {
    // sqlite_master and pragma_table_list are built once per compile, however often the planner asks.
    const built = new Map<string, ViewDef | undefined>();
    const builtIn = (name: string, schema: string | undefined): ViewDef | undefined => {
      const key = `${schema ?? ''}.${name.toLowerCase()}`;
      if (!built.has(key)) built.set(key, schemaView(name, schema, catalog, txn) ?? pragmaView(name, this.schemaLookup(catalog, txn)));
      return built.get(key);
    };
    return {
      table: (name) => catalog.table(name, txn),
      view: (name, schema) => catalog.view(name, txn) ?? builtIn(name, schema),
      triggers: (name) => catalog.triggersOn(name, txn),
      schema: this.schemaLookup(catalog, txn),
      keys: this.keys,
      subqueries: [],
      recursiveRows: this.recursiveRows,
    };
  }

  /** The schema as the PRAGMAs read it. */
  schemaLookup(catalog: Catalog, txn: Transaction | undefined): SchemaLookup {
    return {
      table: (name) => catalog.table(name, txn),
      view: (name) => catalog.view(name, txn),
      allTables: () => catalog.allTables(txn),
      allViews: () => catalog.allViews(txn),
      isTempView: (name) => catalog.isTempView(name),
      viewColumns: (view) => viewColumns(view, this.compileContext(catalog, txn)),
    };
  }

  readonly rowTriggers = rowTriggers;
  readonly compile = compile;
}
