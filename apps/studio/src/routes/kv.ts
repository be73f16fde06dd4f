// KV: browse a keyspace (the database's own, or a namespace's) by prefix, one page at a time,
// look at one value, and — in write mode — put and delete.
import { Hono } from 'hono';
import { compareBytes, concatBytes, NotFoundError, prefixUpperBound } from '@sochdb/sdk';
import { keyFromString, keyToString, viewValue, type ValueView } from '../bytes-view.js';
import type { StudioContext } from '../context.js';
import { requireWrite } from '../errors.js';
import { KvKeyQuery, KvListQuery, KvPutBody } from '../schemas.js';
import { validate } from '../validate.js';

/** Bytes of each value shown in a page of keys; the whole value comes from `/api/kv/value`. */
const PREVIEW_BYTES = 256;

/** One entry of a page: the key (see bytes-view.ts for `hex:` keys) and the start of its value. */
export interface KvEntry {
  readonly key: string;
  readonly value: ValueView;
}

/** A page of `GET /api/kv`; pass `next` as `after` for the following page (null at the end). */
export interface KvPage {
  readonly entries: readonly KvEntry[];
  readonly next: string | null;
}

/** The `/api/kv` routes. */
export function kvRoutes(ctx: StudioContext): Hono {
  return new Hono()
    .get('/', validate('query', KvListQuery), async (c) => {
      const { namespace, prefix, after, limit } = c.req.valid('query');
      const store = await ctx.source.kv(namespace);
      const low = keyFromString(prefix, 'query.prefix');
      const high = prefixUpperBound(low);
      // The cursor's successor: the smallest key after `after` is `after` followed by a zero byte.
      const afterKey = after === undefined ? undefined : concatBytes(keyFromString(after, 'query.after'), Buffer.of(0));
      const start = afterKey !== undefined && compareBytes(afterKey, low) > 0 ? afterKey : low;
      if (high !== undefined && compareBytes(start, high) >= 0) return c.json({ entries: [], next: null } satisfies KvPage);
      const rows = await store.scan({ prefix: low, start, end: high }, limit + 1);
      const page = rows.slice(0, limit);
      const entries = page.map(([key, value]) => ({ key: keyToString(key), value: viewValue(value, PREVIEW_BYTES) }));
      const last = page.at(-1);
      return c.json({ entries, next: rows.length > limit && last !== undefined ? keyToString(last[0]) : null } satisfies KvPage);
    })
    .get('/value', validate('query', KvKeyQuery), async (c) => {
      const { namespace, key } = c.req.valid('query');
      const store = await ctx.source.kv(namespace);
      const value = await store.get(keyFromString(key, 'query.key'));
      if (value === null) throw new NotFoundError(`no key ${JSON.stringify(key)}${namespace ? ` in namespace '${namespace}'` : ''}`);
      return c.json({ key, value: viewValue(value) });
    })
    .put('/', requireWrite(ctx.write, 'PUT /api/kv'), validate('json', KvPutBody), async (c) => {
      const { namespace, key, text, json, hex } = c.req.valid('json');
      const store = await ctx.source.kv(namespace);
      const value = hex !== undefined ? Buffer.from(hex, 'hex') : Buffer.from(text ?? JSON.stringify(json), 'utf8');
      await store.put(keyFromString(key, 'body.key'), value);
      return c.json({ key, value: viewValue(value) });
    })
    .delete('/', requireWrite(ctx.write, 'DELETE /api/kv'), validate('query', KvKeyQuery), async (c) => {
      const { namespace, key } = c.req.valid('query');
      const store = await ctx.source.kv(namespace);
      const bytes = keyFromString(key, 'query.key');
      const existed = (await store.get(bytes)) !== null;
      await store.delete(bytes);
      return c.json({ key, deleted: existed });
    });
}
