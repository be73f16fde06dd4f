import { createHash, timingSafeEqual } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { AuthenticationError } from '@sochdb/sdk';

/**
 * Checks the `authorization: Bearer <key>` header of a call. Both sides are hashed first so the
 * comparison is constant-time whatever the lengths (timingSafeEqual needs equal lengths, and
 * comparing raw lengths would leak the key's length).
 */
export function bearerAuth(apiKey: string | undefined): (metadata: Metadata) => void {
  if (apiKey === undefined) return () => undefined;
  const expected = digest(apiKey);
  return (metadata) => {
    const header = metadata.get('authorization')[0];
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (token === undefined) {
      throw new AuthenticationError('this server requires an API key', {
        remediation: 'Pass it: new SochDBClient(address, { apiKey }) (or the `authorization: Bearer <key>` header).',
      });
    }
    if (!timingSafeEqual(digest(token), expected)) {
      throw new AuthenticationError('the API key is not valid', { remediation: "Use the key the server was started with (--api-key or SOCHDB_API_KEY)." });
    }
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
