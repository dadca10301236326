/**
 * Turns whatever a request throws into the error envelope, through the one map in error-map.ts.
 * Failures of the farm are logged with their stack; the client only ever sees the mapped problem.
 */
import type { FarmMiddleware } from '../app-deps.js';
import { sendProblem } from '../envelope.js';
import { withoutFolders } from '../auth/scopes.js';
import { problemFor } from '../error-map.js';

/** Catches every error below it and answers the envelope instead. */
export function errorEnvelope(hiddenFolders: readonly string[] = []): FarmMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const problem = problemFor(error, ctx.state.requestId);
      if (problem.status >= 500) {
        ctx.state.logger.error({ err: error, status: problem.status, reason: problem.reason }, 'request failed');
      } else {
        // A client's mistake is routine: no stack, and not at error level.
        ctx.state.logger.info({ status: problem.status, reason: problem.reason, problem: problem.message }, 'request refused');
      }
      // Bytes already on the wire cannot be taken back; the log line above is all that can be done.
      if (ctx.headerSent) return;
      // QUEUE_FULL, SHUTTING_DOWN: tell the client when to come back.
      const retryAfter = problem.details.retryAfterSeconds;
      if (typeof retryAfter === 'number') ctx.set('retry-after', String(retryAfter));
      // Messages may quote a store's or probe's error: no folder of the farm's disk goes out.
      sendProblem(ctx, { ...problem, message: withoutFolders(problem.message, hiddenFolders) });
    }
  };
}
