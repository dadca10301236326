/**
 * One log line per answered request, its headline readable at a glance
 * (`POST /api/charts/generate 200 84ms png 600×400`) and its fields under `request` for machines.
 * Probes and scrapes (/healthz, /readyz, /metrics) log at debug: they come every few seconds.
 */
import type { FarmContext, FarmMiddleware } from '../app-deps.js';

const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** What the access line of a request says, besides the request id its logger carries. */
export interface AccessLogFields {
  method: string;
  path: string;
  status: number;
  ms: number;
  /** What the route did, in a few words (`png 600×400`, `task 5f0c…`). */
  summary?: string;
  /** True when the client went away before the whole answer was sent. */
  aborted?: boolean;
}

/** The headline of an access line. */
export function accessHeadline(fields: AccessLogFields): string {
  const summary = fields.summary ? ` ${fields.summary}` : '';
  return `${fields.method} ${fields.path} ${fields.status} ${fields.ms}ms${summary}${fields.aborted ? ' (client went away)' : ''}`;
}

function levelOf(ctx: FarmContext): 'debug' | 'info' | 'warn' {
  if (ctx.status >= 500) return 'warn';
  return ctx.method === 'GET' && PROBE_PATHS.has(ctx.path) ? 'debug' : 'info';
}

/** Logs each request once its answer is sent (or the client left); runs outside the error envelope to see the final status. */
export function accessLog(): FarmMiddleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      // A streamed body is still being sent here: the line waits for the end, to say whether it arrived.
      const log = () => {
        const fields: AccessLogFields = { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) };
        if (ctx.state.summary) fields.summary = ctx.state.summary;
        if (!ctx.res.writableFinished) fields.aborted = true;
        ctx.state.logger[levelOf(ctx)]({ request: fields }, accessHeadline(fields));
      };
      if (ctx.res.writableFinished || ctx.res.destroyed || ctx.respond === false) log();
      else ctx.res.once('close', log);
    }
  };
}
