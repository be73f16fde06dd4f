// How a failure reaches the user: one line on stderr naming the error's class and stable code,
// and with --json the same facts as the one JSON document on stdout, so a script never has to
// parse prose. SochDB errors never show a stack trace: their message and remediation say it all.
import { SochDBError } from '@sochdb/core';

/** What `--json` prints on stdout when a command fails. */
export interface FailureReport {
  readonly error: { readonly name: string; readonly code: number | null; readonly message: string; readonly remediation?: string };
}

/** The error as the one line the CLI prints (newlines folded: a multi-line message would break log greps). */
export function describeFailure(error: unknown): string {
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
  if (error instanceof SochDBError) {
    const remediation = error.remediation ? ` — ${oneLine(error.remediation)}` : '';
    return `${error.name} (${error.code}): ${oneLine(error.message)}${remediation}`;
  }
  // Anything else is a bug or an environment failure (EPIPE, ENOSPC); its message is still the
  // most useful single line. SOCHDB_DEBUG=1 adds the stack for a bug report.
  const message = error instanceof Error ? error.message : String(error);
  const stack = process.env['SOCHDB_DEBUG'] && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return `${error instanceof Error ? error.name : 'Error'}: ${oneLine(message)}${stack}`;
}

/** The `--json` form of a failure. */
export function failureReport(error: unknown): FailureReport {
  if (error instanceof SochDBError) {
    return {
      error: { name: error.name, code: error.code, message: error.message, ...(error.remediation ? { remediation: error.remediation } : {}) },
    };
  }
  return { error: { name: error instanceof Error ? error.name : 'Error', code: null, message: error instanceof Error ? error.message : String(error) } };
}

/**
 * Prefixes a SochDB error's message with where in the input it happened (`line 7: …`), keeping
 * its class and code: a ConstraintError on line 7 is still a ConstraintError. Other errors are
 * wrapped by the caller; this only annotates.
 */
export function atLine<E>(error: E, line: number): E {
  if (error instanceof SochDBError && !error.message.startsWith('line ')) {
    // Error#message is an ordinary writable property; rebuilding the error would lose its fields.
    error.message = `line ${line}: ${error.message}`;
  }
  return error;
}
