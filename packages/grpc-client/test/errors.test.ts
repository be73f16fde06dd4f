// The error ↔ status mapping both ends share: a SochDBError crosses the wire as a gRPC status plus
// metadata and comes back as the same class; classes from outside the known packages register.
import type { ServiceError } from '@grpc/grpc-js';
import { NotFoundError, QueryError, SochDBError, ValidationError } from '@sochdb/core';
import { describe, expect, it } from 'vitest';
import { fromServiceError, GrpcStatus, grpcStatusOf, registerErrorClass, toServiceStatus } from '@sochdb/grpc-client';

class PluginVeto extends QueryError {
  override readonly code: number = 5099;
  readonly reason = 'too old';
}
class Unregistered extends QueryError {
  override readonly code: number = 5098;
}

// What a client receives for what a server sent.
const overTheWire = (error: unknown) => {
  const status = toServiceStatus(error);
  return fromServiceError(
    Object.assign(new Error(status.details), { code: status.code, details: status.details, metadata: status.metadata }) as ServiceError,
    'test',
  );
};

it('a known class comes back as itself, with its status, code, message and data fields', () => {
  expect(grpcStatusOf(new NotFoundError('no such key'))).toBe(GrpcStatus.NOT_FOUND);
  const back = overTheWire(new NotFoundError('no such key', { remediation: 'Put it first.' }));
  expect(back).toBeInstanceOf(NotFoundError);
  expect({ message: back.message, code: back.code, remediation: back.remediation }).toEqual({
    message: 'no such key',
    code: 9004,
    remediation: 'Put it first.',
  });
});

it('a registered class gets its own status and is rebuilt as itself; an unknown one keeps its name', () => {
  expect(grpcStatusOf(new PluginVeto('no'))).toBe(GrpcStatus.INVALID_ARGUMENT); // QueryError's, until registered
  registerErrorClass(PluginVeto, GrpcStatus.FAILED_PRECONDITION);
  expect(grpcStatusOf(new PluginVeto('no'))).toBe(GrpcStatus.FAILED_PRECONDITION);
  const back = overTheWire(new PluginVeto('refused'));
  expect(back).toBeInstanceOf(PluginVeto);
  expect({ name: back.name, code: back.code, reason: (back as PluginVeto).reason }).toEqual({ name: 'PluginVeto', code: 5099, reason: 'too old' });

  const unknown = overTheWire(new Unregistered('elsewhere'));
  expect(unknown).toBeInstanceOf(SochDBError);
  expect(unknown).not.toBeInstanceOf(Unregistered);
  expect({ name: unknown.name, code: unknown.code, message: unknown.message }).toEqual({ name: 'Unregistered', code: 5098, message: 'elsewhere' });
  expect(() => registerErrorClass(Error as never)).toThrow(/subclass of SochDBError/);
});

describe('graph arguments on the wire', () => {
  it('refuse a direction or order that is not one of the names, with a ValidationError (never a prototype method or a TypeError)', async () => {
    const { directionToWire, orderToWire } = await import('../src/wire-graph.js');
    expect(directionToWire('in')).toBe('IN');
    expect(directionToWire(undefined)).toBe('DIRECTION_UNSPECIFIED');
    for (const bad of ['toString', 'constructor', '__proto__', 'IN', 10n, { x: 1 }, null]) {
      expect(() => directionToWire(bad as never), typeof bad === 'object' ? JSON.stringify(bad) : String(bad)).toThrow(ValidationError);
    }
    for (const bad of ['BFS', 10n, {}]) expect(() => orderToWire(bad as never)).toThrow(ValidationError);
  });
});
