/**
 * Errors Koa reports after the answer was sent (the envelope catches the rest). A client that goes
 * away mid-download (a closed tab, a curl interrupted) is no fault of the farm: it is logged at
 * debug; anything else at error. Both on the request's logger, so the line carries its id.
 */
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { FarmContext, FarmState } from '../app-deps.js';

const DISCONNECT_CODES: ReadonlySet<string> = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_DESTROYED']);

/** True when the error only says the client left before the answer was complete. */
export function isClientDisconnect(error: unknown, ctx: FarmContext | undefined): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && DISCONNECT_CODES.has(code)) return true;
  return ctx !== undefined && (ctx.req.destroyed || ctx.req.socket?.destroyed === true) && !ctx.res.writableFinished;
}

/** Logs `app`'s late errors as above; `fallback` serves errors that come without a request. */
export function logErrorsAfterResponse(app: Koa<FarmState>, fallback: Logger): void {
  app.on('error', (error: unknown, ctx?: FarmContext) => {
    const logger = ctx?.state?.logger ?? fallback;
    if (isClientDisconnect(error, ctx)) {
      logger.debug({ code: (error as NodeJS.ErrnoException).code }, 'the client went away before the answer was sent');
    } else {
      logger.error({ err: error }, 'error after the response was sent');
    }
  });
}
