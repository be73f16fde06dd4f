// Small hooks the pages share: loading a value (again every `intervalMs` when polling).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorInfo, type ErrorInfo } from './api.js';

/** What useLoad gives: the latest value, the latest error (cleared by a success), and a reload. */
export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: ErrorInfo | undefined;
  readonly reload: () => void;
}

/**
 * Runs `load` now, whenever `deps` change, and every `intervalMs` when given. An answer that
 * arrives after a newer request started is dropped, so a slow reply never overwrites a fresh one.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[], intervalMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
      },
      (failure: unknown) => {
        if (mine === generation.current) setError(errorInfo(failure));
      },
    );
  }, deps);
  useEffect(() => {
    run();
    if (intervalMs === undefined) return undefined;
    const timer = setInterval(run, intervalMs);
    return () => clearInterval(timer);
  }, [run, intervalMs]);
  return { data, error, reload: run };
}
