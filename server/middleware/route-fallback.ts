/**
 * Answers requests no route took: 405 with an `Allow` header when the path exists under other
 * methods, 404 otherwise. Sits after `router.routes()`, which passes on only what it did not match.
 */
import { validationError } from '../../errors/farm-error.js';
import type { FarmMiddleware, FarmRouter } from '../app-deps.js';

// Paths are echoed back in messages: a client's 10 kB URL need not come back whole.
const MAX_ECHOED_PATH = 200;

/** Throws NOT_FOUND or METHOD_NOT_ALLOWED for a request `router` has no route for. */
export function routeFallback(router: FarmRouter): FarmMiddleware {
  return async (ctx) => {
    const path = ctx.path.slice(0, MAX_ECHOED_PATH);
    const allowed = [...new Set(router.match(ctx.path, ctx.method).path.flatMap((layer) => layer.methods))];
    if (allowed.length === 0) throw validationError('NOT_FOUND', `no route for ${ctx.method} ${path}`);
    ctx.set('Allow', allowed.join(', '));
    throw validationError(
      'METHOD_NOT_ALLOWED',
      `${ctx.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`,
      { allowed },
    );
  };
}
