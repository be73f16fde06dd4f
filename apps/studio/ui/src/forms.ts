// Request shapes from the server's own zod schemas (types only: nothing of zod is bundled), so a
// renamed or retyped field breaks the UI's type-check instead of a request at run time.
import type { z } from 'zod';
import type { KvPutBody, SearchBody, SqlBody } from '../../src/schemas.js';

export type KvPut = z.input<typeof KvPutBody>;
export type Search = z.input<typeof SearchBody>;
export type SqlRequest = z.input<typeof SqlBody>;
