import { QueryError } from '@sochdb/core';
import type { Statement } from '../parse/index.js';
import { columnOrigins } from '../plan/column-origins.js';
import type { CompileContext } from '../plan/plan-types.js';
import type { Executable } from '../statements/statement.js';
import type { ConnectionCounters } from '../values/scalar-function.js';
import { toOutput, toSafeOutput, type OutputValue } from '../values/values.js';
import type { SqlParams } from './params.js';
import { bindArguments, parameterSpec, type ParameterSpec } from './prepared-params.js';
import { SqlResult, type SqlRow } from './result.js';

/** A prepared statement compiled against the schema of the moment (the engine's statement cache holds it). */
export interface PreparedPlan {
  readonly executable: Executable;
  readonly context: CompileContext;
}

/** What a prepared statement needs from its engine (closures over its private state, see SqlEngine.prepare). */
export interface StatementHost {
  /** Runs the parsed statement; rows come back as arrays, the statement shapes them. */
  execute(params: SqlParams | undefined, options: { readonly safeIntegers: boolean }): Promise<SqlResult<OutputValue[]>>;
  /** Compiles now if that needs no wait (else undefined); re-checks the schema version each time. */
  plan(): PreparedPlan | undefined;
  /**
   * A SELECT's rows as the table is read, for `iterate`; undefined where they must be computed
   * whole first (see exec/select-stream.ts), or inside a transaction.
   */
  stream(params: SqlParams | undefined, options: { readonly safeIntegers: boolean }): Promise<RowStream | undefined>;
  readonly counters: ConnectionCounters;
}

/** Rows handed out as they are read (StatementHost.stream): the columns, then the rows a batch at a time. */
export interface RowStream {
  /** The result's column names. */
  readonly columns: readonly string[];
  /** The rows as arrays in column order, a batch at a time. */
  readonly rows: AsyncIterable<readonly OutputValue[][]>;
}

/** One result column, as better-sqlite3's `columns()` describes it (null where it is not a table's column). */
export interface ColumnDescription {
  /** The result column's name (its alias if it has one). */
  readonly name: string;
  /** The table column it reads, by its declared name; null for an expression. */
  readonly column: string | null;
  /** The table that column belongs to (after resolving aliases); null for an expression. */
  readonly table: string | null;
  /** Always `'main'` for a table column; null for an expression. */
  readonly database: string | null;
  /** The column's declared type as written in CREATE TABLE; null for an expression or an untyped column. */
  readonly type: string | null;
}

/** What `run()` returns, as in better-sqlite3: rows changed by this statement, and the engine's last inserted rowid. */
export interface RunResult {
  /** Rows this run inserted, updated or deleted (0 for a statement that writes none). */
  readonly changes: number;
  /**
   * The engine's last inserted rowid after this run: if this run inserted nothing it is an
   * earlier statement's (as in better-sqlite3). A bigint under `safeIntegers()`.
   */
  readonly lastInsertRowid: number | bigint;
}

const EXPLAIN_COLUMNS = ['id', 'parent', 'notused', 'detail'] as const;

/**
 * better-sqlite3's Statement over a SqlEngine, with promises: the engine reads LevelDB (or
 * another process's storage) asynchronously, so `all`/`get`/`run` return promises and `iterate`
 * is an async iterator. Parsed once by `prepare`; each call binds new values and runs the
 * compiled plan kept in the engine's statement cache, which is keyed by SQL text and schema
 * version: after DDL (here or in another process) the next call recompiles, so an answer never
 * comes from a plan for an older schema (a dropped table gives "no such table", as in SQLite).
 *
 * @example
 * ```ts
 * const names = await sql.prepare('SELECT name FROM users ORDER BY id').pluck().all(); // ['Ada', 'Alan']
 * const pairs = await sql.prepare('SELECT id, name FROM users').raw().all(); // [[1, 'Ada'], [2, 'Alan']]
 * const { changes, lastInsertRowid } = await sql.prepare('INSERT INTO users (name) VALUES (:name)').run({ name: 'Grace' });
 * ```
 */
export class PreparedStatement<Row = SqlRow> {
  /** The SQL text, as given to prepare(). */
  readonly source: string;
  /** Whether the statement returns rows (a SELECT, a statement with RETURNING, EXPLAIN, PRAGMA). */
  readonly reader: boolean;
  readonly #statement: Statement;
  readonly #host: StatementHost;
  readonly #spec: ParameterSpec;
  #mode: 'object' | 'raw' | 'pluck' = 'object';
  #safeIntegers = false;
  /** Column names from the last run, for columns() when the plan cannot be had synchronously. */
  #lastColumns: readonly string[] | undefined;

  constructor(source: string, statement: Statement, host: StatementHost) {
    this.source = source;
    this.#statement = statement;
    this.#host = host;
    this.#spec = parameterSpec(source);
    // Compiling now reports an unknown table or column at prepare time, as better-sqlite3 does.
    host.plan();
    this.reader = returnsRows(statement);
  }

  /** Every row. */
  async all(...params: unknown[]): Promise<Row[]> {
    this.#needsReader('all');
    return this.#shape(await this.#execute(params));
  }

  /** The first row, or undefined when there is none. */
  async get(...params: unknown[]): Promise<Row | undefined> {
    this.#needsReader('get');
    return this.#shape(await this.#execute(params))[0];
  }

  /** Runs the statement (any kind, rows or not) and reports what it changed. */
  async run(...params: unknown[]): Promise<RunResult> {
    const result = await this.#execute(params);
    const out = this.#safeIntegers ? toSafeOutput : toOutput;
    return { changes: result.rowsAffected, lastInsertRowid: out(this.#host.counters.lastInsertRowid) as number | bigint };
  }

  /**
   * The rows one at a time. A query over one table without ORDER BY, GROUP BY, DISTINCT, window
   * functions or subqueries, run outside a transaction, streams: rows are read as they are handed
   * out, from one snapshot held until the loop ends (or breaks), so a scan of millions of rows
   * holds one batch. Any other statement computes its rows first, as `all()` does.
   */
  async *iterate(...params: unknown[]): AsyncIterableIterator<Row> {
    this.#needsReader('iterate');
    const stream = await this.#host.stream(bindArguments(params, this.#spec), { safeIntegers: this.#safeIntegers });
    if (stream === undefined) {
      yield* this.#shape(await this.#execute(params));
      return;
    }
    this.#lastColumns = stream.columns;
    for await (const rows of stream.rows) yield* this.#shape(new SqlResult(rows, stream.columns, 0, 0));
  }

  /** Rows as arrays in column order (better-sqlite3's raw mode); raw(false) goes back to objects. */
  raw(on?: true): PreparedStatement<OutputValue[]>;
  raw(on: false): PreparedStatement;
  raw(on: boolean): PreparedStatement<OutputValue[]> | PreparedStatement;
  raw(on = true): PreparedStatement<OutputValue[]> | PreparedStatement {
    this.#needsReader('raw');
    this.#mode = on ? 'raw' : 'object';
    return this as unknown as PreparedStatement<OutputValue[]>;
  }

  /** Each row as its first column's value (better-sqlite3's pluck mode); pluck(false) goes back to objects. */
  pluck(on?: true): PreparedStatement<OutputValue>;
  pluck(on: false): PreparedStatement;
  pluck(on: boolean): PreparedStatement<OutputValue> | PreparedStatement;
  pluck(on = true): PreparedStatement<OutputValue> | PreparedStatement {
    this.#needsReader('pluck');
    this.#mode = on ? 'pluck' : 'object';
    return this as unknown as PreparedStatement<OutputValue>;
  }

  /** Every INTEGER (and run()'s lastInsertRowid) as a bigint, as execute()'s safeIntegers. */
  safeIntegers(on = true): this {
    this.#safeIntegers = on;
    return this;
  }

  /**
   * The result columns: name, and for a plain column of a table its column, table, database
   * ('main') and declared type, as better-sqlite3 reports them (null otherwise). Synchronous:
   * it compiles against the schema of the moment when that needs no wait, else it uses the
   * names seen by the last run (with no origins).
   */
  columns(): ColumnDescription[] {
    if (!this.reader)
      throw new QueryError('The columns() method is only for statements that return data', { remediation: 'Use run() for statements that return no rows.' });
    const plan = this.#host.plan();
    const statement = this.#statement;
    const names = statement.kind === 'explain' ? EXPLAIN_COLUMNS : (plan?.executable.columns ?? this.#lastColumns);
    if (names === undefined) {
      throw new QueryError('the columns of this statement are not known yet', {
        remediation:
          'Run it once first (await st.all()): the schema was not loaded when it was prepared (the first statement of an engine, or a storage of another process, loads it asynchronously).',
      });
    }
    const origins = plan && statement.kind === 'select' ? columnOrigins(statement.query, plan.context, names.length) : [];
    return names.map((name, i) => {
      const o = origins[i];
      return o
        ? { name, column: o.column, table: o.table, database: 'main', type: o.type === '' ? null : o.type }
        : { name, column: null, table: null, database: null, type: null };
    });
  }

  async #execute(args: readonly unknown[]): Promise<SqlResult<OutputValue[]>> {
    const result = await this.#host.execute(bindArguments(args, this.#spec), { safeIntegers: this.#safeIntegers });
    this.#lastColumns = result.columns;
    return result;
  }

  #shape(result: SqlResult<OutputValue[]>): Row[] {
    // Row is the shape the current mode gives (raw()/pluck() retype the statement), hence the casts.
    if (this.#mode === 'raw') return result.rows as unknown as Row[];
    if (this.#mode === 'pluck') return result.rows.map((r) => r[0] ?? null) as unknown as Row[];
    const cols = result.columns;
    return result.rows.map((r) => {
      const o: SqlRow = {};
      // A later duplicate name wins, as in execute() and better-sqlite3.
      for (let c = 0; c < cols.length; c++) o[cols[c]!] = r[c]!;
      return o as unknown as Row;
    });
  }

  #needsReader(method: string): void {
    if (this.reader) return;
    const message =
      method === 'all' || method === 'get' || method === 'iterate'
        ? 'This statement does not return data. Use run() instead'
        : `The ${method}() method is only for statements that return data`;
    throw new QueryError(message, { remediation: 'Use run() for statements that return no rows (or add RETURNING to an INSERT, UPDATE or DELETE).' });
  }
}

/** Whether a statement returns rows, from its syntax (as SQLite's column count would say). */
function returnsRows(statement: Statement): boolean {
  switch (statement.kind) {
    case 'select':
    case 'explain':
      return true;
    case 'pragma':
      // A query (no value), a pragma whose argument names what to list, or journal_mode (which
      // answers its new mode); a setting (`PRAGMA foreign_keys = 1`) returns nothing, as in SQLite.
      return statement.value === undefined || /_(info|xinfo|list|check)$/.test(statement.name) || statement.name === 'journal_mode';
    case 'insert':
    case 'update':
    case 'delete':
      return (statement.returning?.length ?? 0) > 0;
    default:
      return false;
  }
}
