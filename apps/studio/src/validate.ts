// zod validation of query strings, bodies and path parameters through @hono/zod-validator, with
// failures answered as the API's other errors are: a ValidationError (400) naming the field.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { ValidationError } from '@sochdb/sdk';
import type { z } from 'zod';
import { errorResponse } from './errors.js';

/** Where each validation target's fields are named from, so `field` says `body.sql`, `query.limit`. */
const TARGET_PREFIX: Readonly<Partial<Record<keyof ValidationTargets, string>>> = { json: 'body', query: 'query', param: 'path' };

/** The first problem zod found, as a ValidationError naming its field. */
export function validationErrorOf(error: z.core.$ZodError, target: keyof ValidationTargets): ValidationError {
  const issue = error.issues[0];
  const prefix = TARGET_PREFIX[target] ?? target;
  const field = [prefix, ...(issue?.path ?? []).map(String)].join('.');
  return new ValidationError(`invalid ${field}: ${issue?.message ?? 'invalid input'}`, { field });
}

/** The validator middleware for `target`; `c.req.valid(target)` then holds the parsed value. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) return errorResponse(c, validationErrorOf(result.error, target));
    return undefined;
  });
}
