/**
 * Gives every request an id: the caller's `X-Request-Id` when it is usable, a fresh UUID otherwise.
 * The id is echoed in the response header and bound to a child logger, so every log line of the
 * request carries it.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { FarmMiddleware } from '../app-deps.js';

/** The response (and request) header that carries the id. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

// The id is written into a response header and into logs: refuse anything longer or richer than an id.
const USABLE_ID = /^[\w.:-]{1,128}$/;

/** Sets `ctx.state.requestId` and `ctx.state.logger`, and the `X-Request-Id` response header. */
export function requestId(logger: Logger): FarmMiddleware {
  return async (ctx, next) => {
    const incoming = ctx.get(REQUEST_ID_HEADER);
    const id = USABLE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.state.logger = logger.child({ requestId: id });
    ctx.set(REQUEST_ID_HEADER, id);
    await next();
  };
}
