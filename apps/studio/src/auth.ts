// The access token every request must carry. The studio listens on loopback, but any local
// process (or a web page the user visits, through DNS rebinding) can reach loopback ports: the
// token, known only to whoever started the studio, is what keeps them out.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AuthenticationError } from '@sochdb/sdk';
import { errorResponse } from './errors.js';

/** A new random token: 24 bytes, base64url (32 characters). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Whether `given` equals `expected`, in time that does not depend on where they differ. */
export function tokensEqual(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, which timingSafeEqual needs, without revealing the length.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token a request carries: `authorization: Bearer <token>`, or `?token=` (the first page load). */
export function requestToken(authorization: string | undefined, query: string | undefined): string | undefined {
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  return query;
}

/** Middleware answering 401 (AuthenticationError, code 1002) unless the request carries `token`. */
export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    const given = requestToken(c.req.header('authorization'), c.req.query('token'));
    if (given === undefined || !tokensEqual(given, token)) {
      const error = new AuthenticationError(given === undefined ? 'this studio needs its access token' : 'wrong access token', {
        remediation: 'Open the URL the studio printed (it carries ?token=…), or send authorization: Bearer <token>.',
      });
      c.header('www-authenticate', 'Bearer realm="sochdb-studio"');
      return errorResponse(c, error);
    }
    await next();
    return undefined;
  };
}
