/**
 * The JSON envelope of the HTTP contract (DESIGN.md): `{code, msg, data}` with the HTTP status equal
 * to `code`, plus `error: {type, reason, details}` on failures.
 */
import type { ErrorReason, ErrorType } from '../errors/farm-error.js';
import type { FarmContext } from './app-deps.js';
import type { Problem } from './problem.js';

/** Every JSON answer of the farm. */
export interface Envelope<T> {
  code: number;
  msg: string;
  data: T | null;
  error?: { type: ErrorType; reason: ErrorReason; details: Record<string, unknown> };
}

/** Answers `data` in the envelope. */
export function sendData<T extends object>(ctx: FarmContext, data: T, options: { status?: number; msg?: string } = {}): void {
  const status = options.status ?? 200;
  const envelope: Envelope<T> = { code: status, msg: options.msg ?? 'ok', data };
  sendEnvelope(ctx, status, envelope);
}

/** Answers a problem in the envelope, with `data: null`. */
export function sendProblem(ctx: FarmContext, problem: Problem): void {
  const envelope: Envelope<never> = {
    code: problem.status,
    msg: problem.message,
    data: null,
    error: { type: problem.type, reason: problem.reason, details: problem.details },
  };
  sendEnvelope(ctx, problem.status, envelope);
}

function sendEnvelope(ctx: FarmContext, status: number, envelope: Envelope<unknown>): void {
  ctx.status = status;
  ctx.body = envelope;
  // Koa keeps a Content-Type set earlier (say image/png by a route that then failed): set it here.
  ctx.type = 'application/json';
}
