import * as core from '@sochdb/core';
import { ProtocolError, SochDBError, ValidationError } from '@sochdb/core';

/** A SochDBError as it travels in an ERROR reply. */
export interface WireError {
  readonly code: number;
  readonly name: string;
  readonly message: string;
  readonly remediation?: string;
  /** A ValidationError's field, so the client's error names it too. */
  readonly field?: string;
}

export function toWireError(error: unknown): WireError {
  if (error instanceof SochDBError) {
    const field = error instanceof ValidationError ? error.field : undefined;
    return {
      code: error.code,
      name: error.name,
      message: error.message,
      ...(error.remediation ? { remediation: error.remediation } : {}),
      ...(field === undefined ? {} : { field }),
    };
  }
  return { code: 9003, name: 'DatabaseError', message: error instanceof Error ? error.message : String(error) };
}

type ErrorClass = new (message: string, options?: core.SochDBErrorOptions) => SochDBError;

// Rebuild the same class on the client, by name, so `instanceof` and `code` work across the wire.
const CLASSES: ReadonlyMap<string, ErrorClass> = new Map(
  (Object.entries(core) as [string, unknown][])
    .filter(([, value]) => typeof value === 'function' && (value as { prototype: unknown }).prototype instanceof SochDBError)
    .map(([name, value]) => [name, value as ErrorClass]),
);

export function fromWireError(wire: WireError): SochDBError {
  const Ctor = CLASSES.get(wire.name);
  const options = { ...(wire.remediation ? { remediation: wire.remediation } : {}), ...(typeof wire.field === 'string' ? { field: wire.field } : {}) };
  if (Ctor && wire.name !== 'DimensionMismatchError' && wire.name !== 'ToonParseError') return new Ctor(wire.message, options);
  const error = new ProtocolError(wire.message, options);
  Object.defineProperty(error, 'code', { value: wire.code });
  return error;
}
