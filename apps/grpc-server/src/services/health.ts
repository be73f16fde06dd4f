import { NotFoundError } from '@sochdb/core';
import type { HealthServices } from '@sochdb/grpc-client';
import type { ServiceImpl } from '../rpc.js';

/**
 * The standard grpc.health.v1 service for '' (the whole server) or one of `services`. Watch
 * sends the current status once and ends, rather than holding a stream open that would delay a
 * graceful shutdown.
 */
export function healthService(services: readonly string[], serving: () => boolean): ServiceImpl<HealthServices['Health']['service']> {
  const check = (service: string) => {
    if (service !== '' && !services.includes(service)) {
      throw new NotFoundError(`unknown service '${service}'`, { remediation: `Ask about '' or one of: ${services.join(', ')}.` });
    }
    return { status: serving() ? ('SERVING' as const) : ('NOT_SERVING' as const) };
  };
  return {
    async Check({ service }) {
      return check(service);
    },
    async *Watch({ service }) {
      yield check(service);
    },
  };
}
