import type { Statement } from '../parse/index.js';
import type { CompileContext } from '../plan/plan-types.js';
import { compileCreateIndex, compileCreateTable, compileCreateView, compileDrop, compileReindex } from './ddl.js';
import { compileAlter } from './alter.js';
import { compileCreateTrigger } from './ddl-trigger.js';
import { compileDelete, compileUpdate } from './dml.js';
import { compileInsert } from './insert.js';
import { compileSelectStatement } from './select.js';
import type { Executable } from './statement.js';
import { compileViewWrite, viewTarget } from './view-dml.js';

/** Statements the engine compiles; the others (transactions, EXPLAIN, PRAGMA, …) it runs or refuses itself. */
type CompilableStatement = Exclude<
  Statement,
  { kind: 'explain' | 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'analyze' | 'vacuum' | 'pragma' }
>;

/** The statement's compiler, by kind: a parsed statement becomes an Executable (compiled once, run many times). */
export function compile(statement: Statement, ctx: CompileContext): Executable {
  const s = statement as CompilableStatement;
  switch (s.kind) {
    case 'select':
      return compileSelectStatement(s.query, ctx);
    case 'insert':
    case 'update':
    case 'delete': {
      // A view is written through its INSTEAD OF triggers.
      const view = viewTarget(s, ctx);
      if (view) return compileViewWrite(s, view, ctx);
      return s.kind === 'insert' ? compileInsert(s, ctx) : s.kind === 'update' ? compileUpdate(s, ctx) : compileDelete(s, ctx);
    }
    case 'createTable':
      return compileCreateTable(s, ctx);
    case 'createIndex':
      return compileCreateIndex(s);
    case 'createView':
      return compileCreateView(s, ctx);
    case 'drop':
      return compileDrop(s);
    case 'alterTable':
      return compileAlter(s);
    case 'reindex':
      return compileReindex(s);
    case 'createTrigger':
      return compileCreateTrigger(s);
  }
}
