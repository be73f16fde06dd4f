// Temporal graph: a node's temporal edges, every version (for a time slider) or those valid `at`.
import { Hono } from 'hono';
import type { TemporalEdge } from '@sochdb/sdk';
import type { StudioContext } from '../context.js';
import { GraphParams, TimelineQuery } from '../schemas.js';
import { validate } from '../validate.js';

/** The instants at which a node's edges change: each version's start and (closed) end, sorted. */
function changeTimes(versions: readonly TemporalEdge[]): number[] {
  const times = new Set<number>();
  for (const v of versions) {
    times.add(v.validFrom);
    if (v.validUntil !== 0) times.add(v.validUntil);
  }
  return [...times].sort((a, b) => a - b);
}

/** The `/api/temporal` routes. */
export function temporalRoutes(ctx: StudioContext): Hono {
  return new Hono().get('/:ns/timeline', validate('param', GraphParams), validate('query', TimelineQuery), async (c) => {
    const { ns } = c.req.valid('param');
    const { node, direction, edgeType, at } = c.req.valid('query');
    const base = { namespace: ns, node, direction, ...(edgeType === undefined ? {} : { edgeType }) };
    // Every version ever valid: the widest window the temporal graph takes.
    const versions = await ctx.source.temporal({ ...base, mode: 'range', startTime: 0, endTime: Number.MAX_SAFE_INTEGER });
    const body = { node, versions, times: changeTimes(versions) };
    if (at === undefined) return c.json(body);
    const valid = await ctx.source.temporal({ ...base, mode: 'point_in_time', timestamp: at });
    return c.json({ ...body, at, valid });
  });
}
