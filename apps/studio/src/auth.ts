// The access token every request must carry. The studio listens on loopback, but any local
// process (or a web page the user visits, through DNS rebinding) can reach loopback ports: the
// token, known only to whoever started the studio, is what keeps them out.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
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

/**
 * The token a request carries: `authorization: Bearer <token>`, else `?token=` (the first page
 * load), else the cookie that first load set (the browser cannot add a header to `<script src>`).
 */
export function requestToken(authorization: string | undefined, query: string | undefined, cookie?: string): string | undefined {
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  return query ?? cookie;
}

/**
 * The cookie's name. Cookies are not kept apart by port, so two studios on one host would
 * overwrite each other's cookie under one name: the port is part of it.
 */
export function tokenCookieName(url: string): string {
  const { port, protocol } = new URL(url);
  return `sochdb-studio-${port === '' ? (protocol === 'https:' ? '443' : '80') : port}`;
}

/** `c`'s URL without its `token` parameter: where a first page load is sent once the cookie is set. */
function withoutToken(c: Context): string {
  const url = new URL(c.req.url);
  url.searchParams.delete('token');
  return `${url.pathname}${url.search}`;
}

/**
 * Middleware answering 401 (AuthenticationError, code 1002) unless the request carries `token`.
 * A page load (GET outside /api) with a valid `?token=` gets the token as an HttpOnly,
 * SameSite=Strict cookie and is redirected to the same URL without it, so the token leaves the
 * address bar and history, and the page's scripts, styles and API calls carry the cookie.
 */
export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    const cookieName = tokenCookieName(c.req.url);
    const query = c.req.query('token');
    const given = requestToken(c.req.header('authorization'), query, getCookie(c, cookieName));
    if (given === undefined || !tokensEqual(given, token)) {
      const error = new AuthenticationError(given === undefined ? 'this studio needs its access token' : 'wrong access token', {
        remediation: 'Open the URL the studio printed (it carries ?token=…), or send authorization: Bearer <token>.',
      });
      c.header('www-authenticate', 'Bearer realm="sochdb-studio"');
      return errorResponse(c, error);
    }
    if (query !== undefined && c.req.method === 'GET' && !c.req.path.startsWith('/api/') && c.req.header('authorization') === undefined) {
      setCookie(c, cookieName, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return c.redirect(withoutToken(c), 302);
    }
    await next();
    return undefined;
  };
}
