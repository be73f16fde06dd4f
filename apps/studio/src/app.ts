// The studio as a Hono app: the token check on every request, the built UI at / and /assets,
// the API under /api, and one error shape for everything that fails.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { NotFoundError, ValidationError, type Database } from '@sochdb/sdk';
import { databaseSource } from './database-source.js';
import type { StudioSource } from './source.js';
import { requireToken } from './auth.js';
import { errorResponse } from './errors.js';
import { collectionRoutes } from './routes/collections.js';
import { graphRoutes } from './routes/graph.js';
import { kvRoutes } from './routes/kv.js';
import { overviewRoutes } from './routes/overview.js';
import { queueRoutes } from './routes/queues.js';
import { sqlRoutes } from './routes/sql.js';
import { temporalRoutes } from './routes/temporal.js';
import { uiRoutes } from './ui-assets.js';

/** What `createStudioApp` needs. */
export interface StudioAppOptions {
  /** The open database to show (the studio does not close it); or give `source`. */
  readonly db?: Database;
  /** Where the data comes from instead of `db` (e.g. `grpcSource(client)`). */
  readonly source?: StudioSource;
  /** The access token every request must carry. */
  readonly token: string;
  /** Allow changes (default false: read-only). */
  readonly write?: boolean;
  /** Where the built UI is (default: `dist/ui` of this package). */
  readonly uiDir?: string;
}

/** `source`, or a source over `db`; exactly one of them. */
export function studioSource(options: { readonly db?: Database | undefined; readonly source?: StudioSource | undefined }): StudioSource {
  if (options.source !== undefined && options.db === undefined) return options.source;
  if (options.db !== undefined && options.source === undefined) return databaseSource(options.db);
  throw new ValidationError('give the studio either db or source (exactly one)', { field: 'db' });
}

/** The studio's Hono app (no server): `app.fetch(request)` answers a request. */
export function createStudioApp(options: StudioAppOptions): Hono {
  const ctx = { source: studioSource(options), write: options.write === true };
  const app = new Hono();
  app.use('*', requireToken(options.token));
  app.route('/', uiRoutes(options.uiDir));
  app.route('/api/overview', overviewRoutes(ctx));
  app.route('/api/kv', kvRoutes(ctx));
  app.route('/api/sql', sqlRoutes(ctx));
  app.route('/api/collections', collectionRoutes(ctx));
  app.route('/api/queues', queueRoutes(ctx));
  app.route('/api/graph', graphRoutes(ctx));
  app.route('/api/temporal', temporalRoutes(ctx));
  app.notFound((c) => errorResponse(c, new NotFoundError(`no endpoint ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    // Hono's own refusals (a body that is not JSON) are bad input like any other.
    if (error instanceof HTTPException && error.status < 500) return errorResponse(c, new ValidationError(error.message, { field: 'body' }), 400);
    return errorResponse(c, error);
  });
  return app;
}
