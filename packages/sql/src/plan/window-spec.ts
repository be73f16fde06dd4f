import { QueryError } from '@sochdb/core';
import type { Expr, NamedWindow, OrderingTerm, WindowFrame, WindowSpec } from '../parse/index.js';

// Named windows (a SELECT's WINDOW clause) and windows based on them, resolved with SQLite's
// rules (window.c: sqlite3WindowChain, sqlite3WindowUpdate, sqlite3WindowAlloc).

/** A window with its base window's clauses copied in. */
export interface ResolvedWindow {
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderingTerm[];
  /** The frame as written; undefined for the default one. */
  readonly frame: WindowFrame | undefined;
}

/** The default frame: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (the whole partition without ORDER BY). */
export const DEFAULT_FRAME: WindowFrame = {
  units: 'RANGE',
  start: { kind: 'UNBOUNDED PRECEDING', offset: undefined },
  end: { kind: 'CURRENT ROW', offset: undefined },
  exclude: undefined,
};

export class WindowDefinitions {
  readonly #defs: { readonly name: string; readonly window: ResolvedWindow }[] = [];

  constructor(named: readonly NamedWindow[]) {
    named.forEach((w, i) => {
      checkFrame(w.spec.frame);
      // SQLite's parser chains each definition to those before it; the first one's base name
      // is never looked up (so `WINDOW w AS (x)` alone is accepted and means `()`).
      const own = { partitionBy: w.spec.partitionBy, orderBy: w.spec.orderBy, frame: w.spec.frame };
      const window = i === 0 || w.spec.base === undefined ? own : chain(w.spec, this.find(w.spec.base));
      this.#defs.push({ name: w.name.toLowerCase(), window });
    });
  }

  /** The window an OVER clause names (`OVER w`: a copy, frame included) or describes. */
  resolve(over: WindowSpec): ResolvedWindow {
    checkFrame(over.frame);
    if (over.base === undefined) return { partitionBy: over.partitionBy, orderBy: over.orderBy, frame: over.frame };
    const bare = over.parenthesized !== true && over.partitionBy.length === 0 && over.orderBy.length === 0 && over.frame === undefined;
    const base = this.find(over.base);
    return bare ? base : chain(over, base);
  }

  /** A later definition of the same name hides an earlier one. */
  #lookup(name: string): ResolvedWindow | undefined {
    const key = name.toLowerCase();
    for (let i = this.#defs.length - 1; i >= 0; i--) if (this.#defs[i]!.name === key) return this.#defs[i]!.window;
    return undefined;
  }

  find(name: string): ResolvedWindow {
    const found = this.#lookup(name);
    if (!found) throw new QueryError(`no such window: ${name}`, { remediation: 'Define it in the WINDOW clause of the same SELECT (WINDOW name AS (…)).' });
    return found;
  }
}

/** `(base …)`: the base's PARTITION BY and ORDER BY; it may add an ORDER BY and a frame, nothing else. */
function chain(spec: WindowSpec, base: ResolvedWindow): ResolvedWindow {
  const what =
    spec.partitionBy.length > 0
      ? 'PARTITION clause'
      : base.orderBy.length > 0 && spec.orderBy.length > 0
        ? 'ORDER BY clause'
        : base.frame !== undefined
          ? 'frame specification'
          : undefined;
  if (what) {
    throw new QueryError(`cannot override ${what} of window: ${spec.base}`, {
      remediation: 'A window based on another may only add an ORDER BY (when the base has none) and a frame.',
    });
  }
  return { partitionBy: base.partitionBy, orderBy: spec.orderBy.length > 0 ? spec.orderBy : base.orderBy, frame: spec.frame };
}

/** A frame may not start after it ends (in the order UNBOUNDED PRECEDING … UNBOUNDED FOLLOWING). */
function checkFrame(frame: WindowFrame | undefined): void {
  if (!frame) return;
  const s = frame.start.kind;
  const e = frame.end.kind;
  if ((s === 'CURRENT ROW' && e === 'PRECEDING') || (s === 'FOLLOWING' && (e === 'PRECEDING' || e === 'CURRENT ROW'))) {
    throw new QueryError('unsupported frame specification', {
      remediation: 'The frame must start no later than it ends, e.g. ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING.',
    });
  }
}

/** SQLite's check once the window is known: a RANGE offset measures along exactly one ORDER BY term. */
export function checkRangeOffsets(window: ResolvedWindow): void {
  const f = window.frame;
  if (f?.units === 'RANGE' && (f.start.offset !== undefined || f.end.offset !== undefined) && window.orderBy.length !== 1) {
    throw new QueryError('RANGE with offset PRECEDING/FOLLOWING requires one ORDER BY expression', {
      remediation: 'Order the window by exactly one expression, or use ROWS or GROUPS.',
    });
  }
}
