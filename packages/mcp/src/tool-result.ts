// How every tool answers. Success: text for the model (compact TOON for rows) and, where a
// program may want it, the same data as `structuredContent`. Failure: an MCP tool error
// (`isError: true`) naming the SochDB error's class, code and message, so the model can correct
// its call; a failure never escapes the handler, so the server never goes down with a bad call.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { SochDBError } from '@sochdb/sdk';

/** A JSON-compatible object, as `structuredContent` must be. */
export type Structured = { readonly [key: string]: unknown };

/** A successful result: `text` for the model, and `structured` for programs when given. */
export function ok(text: string, structured?: Structured): CallToolResult {
  return structured === undefined ? { content: [{ type: 'text', text }] } : { content: [{ type: 'text', text }], structuredContent: { ...structured } };
}

/** What a failed call reports in `structuredContent.error`. */
export interface ToolErrorInfo {
  /** The error's class, e.g. `QueryError`. */
  readonly name: string;
  /** SochDB's stable numeric code; null for an error that is not SochDB's. */
  readonly code: number | null;
  /** What went wrong. */
  readonly message: string;
  /** What to do next, when SochDB knows. */
  readonly remediation?: string;
}

/** The error as facts: class, code, message, remediation. */
export function errorInfo(error: unknown): ToolErrorInfo {
  if (error instanceof SochDBError) {
    return { name: error.name, code: error.code, message: error.message, ...(error.remediation ? { remediation: error.remediation } : {}) };
  }
  return { name: error instanceof Error ? error.name : 'Error', code: null, message: error instanceof Error ? error.message : String(error) };
}

/** The MCP tool error for `error`: one line the model can act on, and the facts as structured content. */
export function failure(error: unknown): CallToolResult {
  const info = errorInfo(error);
  const code = info.code === null ? '' : ` (${info.code})`;
  const remediation = info.remediation ? ` — ${info.remediation}` : '';
  return { isError: true, content: [{ type: 'text', text: `${info.name}${code}: ${info.message}${remediation}` }], structuredContent: { error: { ...info } } };
}

/** Runs a tool's body and turns any throw into a tool error (see the file comment). */
export function guarded<A>(body: (args: A) => Promise<CallToolResult>): (args: A) => Promise<CallToolResult> {
  return async (args) => {
    try {
      return await body(args);
    } catch (error) {
      return failure(error);
    }
  };
}
