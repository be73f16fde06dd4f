import { QueryError, SochDBError, ValidationError, type SochDBErrorOptions } from '@sochdb/core';
import { GrpcStatus, registerErrorClass } from '@sochdb/grpc-client';

/** The six trigger points; the string values are what `triggers` lists name. */
export const TriggerEvent = {
  /** Before a row is inserted: `onBeforeInsert` may replace the row. */
  BEFORE_INSERT: 'BEFORE INSERT',
  /** After a row is inserted, inside the statement's transaction: `onAfterInsert`. */
  AFTER_INSERT: 'AFTER INSERT',
  /** Before a row is updated: `onBeforeUpdate` may replace the new row. */
  BEFORE_UPDATE: 'BEFORE UPDATE',
  /** After a row is updated, inside the statement's transaction: `onAfterUpdate`. */
  AFTER_UPDATE: 'AFTER UPDATE',
  /** Before a row is deleted: `onBeforeDelete` can only refuse it, by throwing. */
  BEFORE_DELETE: 'BEFORE DELETE',
  /** After a row is deleted, inside the statement's transaction: `onAfterDelete`. */
  AFTER_DELETE: 'AFTER DELETE',
} as const;
export type TriggerEvent = (typeof TriggerEvent)[keyof typeof TriggerEvent];

/** A table row as hooks see it: column name → value (number, bigint, string, Buffer or null, as SQL stores it). */
export type Row = Record<string, unknown>;

/**
 * A plugin: in-process functions fired by SQL writes on the tables it lists. BEFORE hooks may
 * return a replacement row (or mutate the row they get and return nothing); throwing — a
 * `TriggerAbort` or anything else — aborts the whole statement with nothing written. Hooks are
 * synchronous so that a statement's rows are checked inside its transaction.
 */
export interface Plugin {
  /** Unique in its registry; `unregister` takes it, and TriggerAbort's `plugin` names it. */
  readonly name: string;
  /** Table name → events, e.g. `{ users: ['BEFORE INSERT'] }`; `'*'` means every table. */
  readonly triggers: Readonly<Record<string, readonly TriggerEvent[]>>;
  /** The row about to be inserted (a copy); return a replacement, or nothing to keep it. Throw to refuse it. */
  onBeforeInsert?(row: Row, context: TriggerContext): Row | void;
  /** The row as inserted; the return value is ignored, but a throw still undoes the whole statement. */
  onAfterInsert?(row: Row, context: TriggerContext): void;
  /** The row's new values (`context.oldRow` has the old ones); return a replacement, or nothing to keep them. */
  onBeforeUpdate?(row: Row, context: TriggerContext): Row | void;
  /** The row as updated (`context.oldRow` before); a throw undoes the whole statement. */
  onAfterUpdate?(row: Row, context: TriggerContext): void;
  /** The row about to be deleted; throw to refuse the delete. */
  onBeforeDelete?(row: Row, context: TriggerContext): void;
  /** The row just deleted; a throw undoes the whole statement. */
  onAfterDelete?(row: Row, context: TriggerContext): void;
}

/** What a hook is told besides the row: which table and event fired it. */
export interface TriggerContext {
  /** The table the statement writes, as named in the schema (so `'*'` plugins can tell tables apart). */
  readonly table: string;
  /** The event that fired; lets one function serve several hooks. */
  readonly event: TriggerEvent;
  /** The row before an UPDATE or DELETE. */
  readonly oldRow: Row | undefined;
}

/** The Plugin methods that handle trigger events. */
type HandlerName = Exclude<keyof Plugin, 'name' | 'triggers'>;

const HANDLER: Readonly<Record<TriggerEvent, HandlerName>> = {
  'BEFORE INSERT': 'onBeforeInsert',
  'AFTER INSERT': 'onAfterInsert',
  'BEFORE UPDATE': 'onBeforeUpdate',
  'AFTER UPDATE': 'onAfterUpdate',
  'BEFORE DELETE': 'onBeforeDelete',
  'AFTER DELETE': 'onAfterDelete',
};
const EVENTS = new Set<string>(Object.values(TriggerEvent));

/**
 * Thrown by a plugin to refuse a write. `code` stays numeric like every SochDBError (5003);
 * the plugin's own reason code (e.g. 'INVALID_AGE') is `abortCode`.
 *
 * @example
 * ```ts
 * plugins.register({
 *   name: 'validate-age',
 *   triggers: { users: ['BEFORE INSERT'] },
 *   onBeforeInsert(row) {
 *     if (typeof row.age !== 'number' || row.age < 0) throw new TriggerAbort('age must be a non-negative number', 'INVALID_AGE');
 *   },
 * });
 * // An INSERT INTO users with a bad age now rejects with it: abortCode 'INVALID_AGE', plugin 'validate-age'.
 * ```
 */
export class TriggerAbort extends QueryError {
  override readonly code = 5003 as const;
  /**
   * The plugin's own reason, e.g. `'INVALID_AGE'`; default `'TRIGGER_ABORT'`. The registry uses
   * `'TRIGGER_FAILED'` for a hook that threw a non-SochDB error, `'ASYNC_TRIGGER'` for one that returned a Promise.
   */
  readonly abortCode: string;
  /** Name of the plugin that aborted, filled in by the registry. */
  plugin: string | undefined;
  constructor(message: string, abortCode = 'TRIGGER_ABORT', options: SochDBErrorOptions = {}) {
    super(message, options);
    this.abortCode = abortCode;
  }
}

// Over gRPC, a TriggerAbort is FAILED_PRECONDITION (not INVALID_ARGUMENT like other QueryErrors),
// and a client that loaded the SDK rebuilds it as a TriggerAbort.
registerErrorClass(TriggerAbort, GrpcStatus.FAILED_PRECONDITION);

/**
 * The plugins whose triggers SQL writes fire, in registration order; `Database.usePlugins` wires
 * a registry into the database's SQL engine.
 *
 * @example
 * ```ts
 * const plugins = new PluginRegistry();
 * plugins.register({
 *   name: 'audit',
 *   triggers: { users: ['BEFORE INSERT'] },
 *   onBeforeInsert: (row) => ({ ...row, email: String(row.email).trim().toLowerCase() }), // the row SQL inserts
 * });
 * db.usePlugins(plugins);
 * ```
 */
export class PluginRegistry {
  readonly #plugins = new Map<string, Plugin>();

  /** Adds a plugin; its name must be new and every listed event must have its handler. */
  register(plugin: Plugin): void {
    if (!plugin || typeof plugin.name !== 'string' || plugin.name.length === 0) {
      throw new ValidationError('a plugin needs a non-empty name', { field: 'name' });
    }
    if (this.#plugins.has(plugin.name)) {
      throw new ValidationError(`a plugin named '${plugin.name}' is already registered`, { field: 'name', remediation: 'Unregister it first.' });
    }
    if (!plugin.triggers || typeof plugin.triggers !== 'object') {
      throw new ValidationError(`plugin '${plugin.name}' needs triggers like { users: ['BEFORE INSERT'] }`, { field: 'triggers' });
    }
    for (const [table, events] of Object.entries(plugin.triggers) as [string, unknown][]) {
      if (!Array.isArray(events)) throw new ValidationError(`triggers.${table} must be an array of events`, { field: `triggers.${table}` });
      for (const event of events as TriggerEvent[]) {
        if (!EVENTS.has(event)) {
          throw new ValidationError(`unknown trigger event '${String(event)}' for table '${table}'; use one of ${[...EVENTS].join(', ')}`, {
            field: `triggers.${table}`,
          });
        }
        if (typeof plugin[HANDLER[event]] !== 'function') {
          throw new ValidationError(`plugin '${plugin.name}' lists '${event}' on '${table}' but has no ${HANDLER[event]}() handler`, {
            field: HANDLER[event],
          });
        }
      }
    }
    this.#plugins.set(plugin.name, plugin);
  }

  /** Removes the plugin named `name` from later statements; false when none was registered. */
  unregister(name: string): boolean {
    return this.#plugins.delete(name);
  }

  /** The registered plugins' names, in registration order (the order they fire in). */
  list(): string[] {
    return [...this.#plugins.keys()];
  }

  /** Whether any plugin listens to `event` on `table` (lets SQL skip row copies when none do). */
  has(table: string, event: TriggerEvent): boolean {
    for (const plugin of this.#plugins.values()) if (listens(plugin, table, event)) return true;
    return false;
  }

  /**
   * Fires `event` on `table` for one row through every listening plugin, in registration order,
   * and returns the resulting row (BEFORE hooks chain their replacements). Any throw aborts.
   */
  fire(table: string, event: TriggerEvent, row: Row, oldRow?: Row): Row {
    if (!EVENTS.has(event)) throw new ValidationError(`unknown trigger event '${String(event)}'`, { field: 'event' });
    let current: Row = { ...row };
    for (const plugin of this.#plugins.values()) {
      if (!listens(plugin, table, event)) continue;
      const handler = HANDLER[event];
      let result: Row | void;
      try {
        // Called as a method, so the handler sees its plugin as `this`; register() checked it exists.
        result = plugin[handler]!(current, { table, event, oldRow });
      } catch (error) {
        throw asAbort(error, plugin.name, table, event);
      }
      if (isThenable(result)) {
        throw new TriggerAbort(`plugin '${plugin.name}' returned a Promise from ${HANDLER[event]}; trigger hooks must be synchronous`, 'ASYNC_TRIGGER');
      }
      if (event.startsWith('BEFORE') && result !== undefined && result !== null) {
        if (typeof result !== 'object' || Array.isArray(result)) {
          throw new TriggerAbort(`plugin '${plugin.name}' returned a non-object row from ${HANDLER[event]}`, 'BAD_TRIGGER_RESULT');
        }
        current = result;
      }
    }
    return current;
  }
}

function listens(plugin: Plugin, table: string, event: TriggerEvent): boolean {
  return (plugin.triggers[table]?.includes(event) ?? false) || (plugin.triggers['*']?.includes(event) ?? false);
}

function isThenable(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function asAbort(error: unknown, plugin: string, table: string, event: TriggerEvent): SochDBError {
  if (error instanceof TriggerAbort) {
    error.plugin ??= plugin;
    return error;
  }
  if (error instanceof SochDBError) return error;
  const abort = new TriggerAbort(
    `plugin '${plugin}' failed on ${event} ${table}: ${error instanceof Error ? error.message : String(error)}`,
    'TRIGGER_FAILED',
    {
      cause: error,
    },
  );
  abort.plugin = plugin;
  return abort;
}
