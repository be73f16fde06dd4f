import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Metadata } from '@grpc/grpc-js';
import { ValidationError } from '@sochdb/core';
import { AuthenticationError } from '@sochdb/grpc-client';

/**
 * How the user spelled each setting, so a refusal names what they actually typed: CLI flags and
 * the environment variable from the CLI, option names from code.
 */
export interface AccessVocabulary {
  /** Where the key came from, e.g. `SOCHDB_API_KEY`, `--api-key` or `apiKey`. */
  readonly apiKey: string;
  /** How to drop the key, e.g. `unset it (unset SOCHDB_API_KEY)`. */
  readonly dropKey: string;
  /** How to give a key at all, e.g. `--api-key <key> or SOCHDB_API_KEY`. */
  readonly giveKey: string;
  readonly loopbackHost: string;
  readonly insecure: string;
}

const OPTION_VOCABULARY: AccessVocabulary = {
  apiKey: 'apiKey',
  dropKey: 'leave apiKey undefined',
  giveKey: 'apiKey',
  loopbackHost: "host: '127.0.0.1'",
  insecure: 'insecure: true',
};

export interface AccessSettings {
  readonly host: unknown;
  readonly apiKey: unknown;
  readonly insecure: unknown;
}

/**
 * Refuses settings that would serve without authentication by accident. An empty key used to
 * mean "no auth", so `SOCHDB_API_KEY=` (an unset secret in a deploy script) started an open
 * server; a key is now either absent or a real key. Without a key, only loopback may listen
 * unless `insecure` is exactly `true`: opening the database to the network must be a decision,
 * not a default. Every refusal is a ValidationError thrown before anything is opened or bound.
 */
export function checkAccess(settings: AccessSettings, words: AccessVocabulary = OPTION_VOCABULARY): void {
  const { host, apiKey, insecure } = settings;
  if (typeof host !== 'string' || host.trim() === '') {
    // An empty host (an unset $HOST) is a mistake, not "the default": grpc-js would fail on it
    // later with a resolver error that does not say so.
    throw new ValidationError('host must name an interface, such as 127.0.0.1', {
      field: 'host',
      remediation: `Pass the interface to listen on (${words.loopbackHost} for this machine only).`,
    });
  }
  if (insecure !== undefined && typeof insecure !== 'boolean') {
    throw new ValidationError('insecure must be true or false', { field: 'insecure' });
  }
  if (apiKey !== undefined) {
    checkApiKey(apiKey, words);
    return;
  }
  if (!isLoopback(host) && insecure !== true) {
    throw new ValidationError(`refusing to listen on ${host} without an API key: anyone who can reach it could read and write the database`, {
      field: 'apiKey',
      remediation: `Set a key (${words.giveKey}), listen on loopback (${words.loopbackHost}), or pass ${words.insecure} to serve it without one on purpose.`,
    });
  }
}

// What a header value carries reliably: printable ASCII (grpc-js refuses anything else on the
// client), with no whitespace at either end (trailing whitespace is trimmed on the way, so a key
// ending in a newline from a key file can never be presented; leading whitespace is at the mercy
// of every proxy). Spaces inside are fine.
const SENDABLE_KEY = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

function checkApiKey(apiKey: unknown, words: AccessVocabulary): asserts apiKey is string {
  if (typeof apiKey !== 'string') {
    throw new ValidationError(`${words.apiKey} must be a string`, {
      field: 'apiKey',
      remediation: `Pass the key as text, or ${words.dropKey} to serve without one on loopback.`,
    });
  }
  if (apiKey.trim() === '') {
    throw new ValidationError(`${words.apiKey} is empty or only whitespace, which would turn authentication off`, {
      field: 'apiKey',
      remediation: `Set ${words.apiKey} to the key clients must send, or ${words.dropKey} to serve without a key on loopback.`,
    });
  }
  if (!SENDABLE_KEY.test(apiKey)) {
    // The message never quotes the key: it ends up in logs.
    throw new ValidationError(`${words.apiKey} has whitespace at an end or characters outside printable ASCII, so clients could not reliably send it`, {
      field: 'apiKey',
      remediation: 'Use printable ASCII with no leading or trailing whitespace (a key read from a file often ends in a newline).',
    });
  }
}

// Node parses every spelling (`0:0:0:0:0:0:0:1`, `::ffff:127.0.0.1`), which string checks miss.
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 (in any spelling, bracketed or not, or IPv4-mapped) and `localhost`. */
export function isLoopback(host: string): boolean {
  const bare = unbracket(host);
  if (bare.toLowerCase() === 'localhost') return true;
  // isIP accepts only full dotted-quad decimal, so "127.evil.example" and "127.1" are names: not loopback.
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** `[::1]` → `::1`: grpc-js wants the brackets added once, when host and port are joined. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Checks the `authorization: Bearer <key>` header of a call. Both sides are hashed first so the
 * comparison is constant-time whatever the lengths (timingSafeEqual needs equal lengths, and
 * comparing raw lengths would leak the key's length).
 */
export function bearerAuth(apiKey: string | undefined): (metadata: Metadata) => void {
  if (apiKey === undefined) return () => undefined;
  // Checked again here, not only by startServer: an empty key must never reach the check below,
  // where a bare `Bearer ` header would match it.
  checkApiKey(apiKey, OPTION_VOCABULARY);
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
      throw new AuthenticationError('the API key is not valid', { remediation: 'Use the key the server was started with (--api-key or SOCHDB_API_KEY).' });
    }
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
