import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Metadata, ServerUnaryCall, ServerWritableStream, UntypedServiceImplementation, sendUnaryData } from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { status as Status } from '@grpc/grpc-js';
import { toServiceStatus } from '@sochdb/grpc-client';
import type { Logger } from './logger.js';

/** One finished call, as CallContext.observe receives it. */
export interface CallEvent {
  /** `Service/Method`, e.g. `KvService/Get` (the path without its package). */
  readonly method: string;
  /** From the handler's start to its last reply (or its failure). */
  readonly seconds: number;
  /** What the call failed with; absent on success. */
  readonly error?: unknown;
}

/** What every handler runs with: the caller's credentials check, the log, and the metrics hook. */
export interface CallContext {
  readonly authorize: (metadata: Metadata) => void;
  readonly log: Logger;
  /** Called once per finished call (the metrics); a throw from it is ignored. */
  readonly observe?: (event: CallEvent) => void;
  /** Aborts when the server begins to stop: handlers that wait (a long-poll dequeue) end their wait. */
  readonly stopping?: AbortSignal;
}

/** What a handler may learn about its call besides the request. */
export interface HandlerCall {
  /**
   * Aborts when the call ends before the handler answers (the client cancelled it or its
   * deadline passed) or the server begins to stop. Made on first use: most handlers never wait.
   */
  readonly signal: AbortSignal;
}

type RequestOf<M> = M extends MethodDefinition<infer _In, infer _Out, infer Request, infer _Reply> ? Request : never;
type ResponseOf<M> = M extends MethodDefinition<infer _In, infer Response, infer _Request, infer _Reply> ? Response : never;

/**
 * A service's handlers as plain async functions: a unary method resolves with its response, a
 * server-streaming one is an async iterable of messages. Types come from the generated
 * definitions, so a handler cannot return the wrong message.
 */
export type ServiceImpl<S> = {
  // `as`: drop the index signature grpc-js's ServiceDefinition adds, keep the named methods.
  readonly [K in keyof S as string extends K ? never : K]: (
    request: RequestOf<S[K]>,
    call: HandlerCall,
  ) => Promise<ResponseOf<S[K]>> | AsyncIterable<ResponseOf<S[K]>>;
};

/**
 * grpc-js handlers for `impl`: each checks the API key, runs the handler, and reports a thrown
 * error as its gRPC status with the SochDB code in trailing metadata.
 */
export function implement<S extends Record<keyof S, { readonly path: string; readonly responseStream: boolean }>>(
  definition: S,
  impl: ServiceImpl<S>,
  ctx: CallContext,
  { public: open = false } = {},
): UntypedServiceImplementation {
  const handlers: UntypedServiceImplementation = {};
  for (const name of Object.keys(definition) as (keyof S & string)[]) {
    const method = definition[name];
    const run = (impl as Record<string, unknown>)[name] as (request: unknown, call: HandlerCall) => Promise<unknown> | AsyncIterable<unknown>;
    // `/sochdb.v1.KvService/Get` → `KvService/Get`.
    const label = method.path.slice(method.path.lastIndexOf('.') + 1);
    const observe = (started: number, error?: unknown) => {
      if (!ctx.observe) return;
      const seconds = (performance.now() - started) / 1000;
      try {
        ctx.observe(error === undefined ? { method: label, seconds } : { method: label, seconds, error });
      } catch (failure) {
        ctx.log.debug(`metrics: ${failure instanceof Error ? failure.message : String(failure)}`);
      }
    };
    const fail = (error: unknown) => {
      const status = toServiceStatus(error);
      if (status.code === Status.INTERNAL) ctx.log.error(`${method.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      else ctx.log.debug(`${method.path}: ${status.details ?? ''}`);
      return status;
    };
    if (method.responseStream) {
      handlers[name] = (call: ServerWritableStream<unknown, unknown>) => {
        const started = performance.now();
        const handler = handlerCall(call, ctx.stopping);
        void (async () => {
          try {
            if (!open) ctx.authorize(call.metadata);
            for await (const message of run(call.request, handler.call) as AsyncIterable<unknown>) {
              if (call.cancelled) {
                observe(started); // the client went away: not a server error
                return;
              }
              if (!call.write(message)) await once(call, 'drain');
            }
            call.end();
            observe(started);
          } catch (error) {
            observe(started, error);
            call.emit('error', fail(error));
          } finally {
            handler.release();
          }
        })();
      };
    } else {
      handlers[name] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        const started = performance.now();
        const handler = handlerCall(call, ctx.stopping);
        let result: Promise<unknown>;
        try {
          if (!open) ctx.authorize(call.metadata);
          result = run(call.request, handler.call) as Promise<unknown>;
        } catch (error) {
          handler.release();
          observe(started, error);
          callback(fail(error));
          return;
        }
        result.then(
          (response) => {
            handler.release();
            observe(started);
            callback(null, response);
          },
          (error: unknown) => {
            handler.release();
            observe(started, error);
            callback(fail(error));
          },
        );
      };
    }
  }
  return handlers;
}

/**
 * The HandlerCall of a grpc-js call, and `release` to run once the handler is done (it drops
 * the listener on the server-wide `stopping`). The signal follows the call's `cancelled` event,
 * which grpc-js emits on a client cancel and on a passed deadline, and `stopping`.
 */
function handlerCall(
  call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>,
  stopping: AbortSignal | undefined,
): { readonly call: HandlerCall; readonly release: () => void } {
  let controller: AbortController | undefined;
  const abort = (): void => controller?.abort();
  return {
    call: {
      get signal() {
        if (controller === undefined) {
          controller = new AbortController();
          if (call.cancelled || stopping?.aborted === true) abort();
          call.once('cancelled', abort);
          stopping?.addEventListener('abort', abort, { once: true });
        }
        return controller.signal;
      },
    },
    release() {
      if (controller === undefined) return;
      call.removeListener('cancelled', abort);
      stopping?.removeEventListener('abort', abort);
    },
  };
}
