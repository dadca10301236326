/**
 * Reads and parses the JSON body of the routes that take one, within MAX_BODY_BYTES. Wrong media
 * types, compressed or oversized bodies and invalid JSON are refused before any route logic runs.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { validationError } from '../../errors/farm-error.js';
import type { FarmContext, FarmMiddleware } from '../app-deps.js';
import { payloadTooLarge, readBodyWithin } from '../read-body-within.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Bodies above this size take a turn of the event loop between parsing and checking. */
const LARGE_BODY_BYTES = 256 * 1024;

function unsupportedMediaType(ctx: FarmContext, why: string) {
  return validationError(
    'UNSUPPORTED_MEDIA_TYPE',
    `${why}; send the body as JSON with Content-Type: application/json`,
    { contentType: ctx.get('Content-Type') || '(none)', accepts: 'application/json' },
  );
}

function checkMediaType(ctx: FarmContext): void {
  const isJson = ctx.request.is('application/json', '+json');
  if (isJson === null) throw validationError('INVALID_JSON', 'the request has no body; send a JSON object');
  if (isJson === false) throw unsupportedMediaType(ctx, `Content-Type ${ctx.get('Content-Type') || '(none)'} is not JSON`);
  const charset = ctx.request.charset.toLowerCase();
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
    throw unsupportedMediaType(ctx, `charset ${charset} is not accepted (JSON is UTF-8)`);
  }
  const encoding = ctx.get('Content-Encoding').toLowerCase();
  if (encoding !== '' && encoding !== 'identity') throw unsupportedMediaType(ctx, `Content-Encoding ${encoding} is not accepted`);
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (error) {
    throw validationError('INVALID_JSON', `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Sets `ctx.state.body` to the parsed JSON body, or throws the matching VALIDATION_ERROR. */
export function jsonBody(maxBytes: number): FarmMiddleware {
  return async (ctx, next) => {
    let bytes: Buffer;
    try {
      checkMediaType(ctx);
      const declared = ctx.request.length;
      if (declared !== undefined && declared > maxBytes) throw payloadTooLarge(maxBytes);
      bytes = await readBodyWithin(ctx.req, maxBytes);
    } catch (error) {
      // Whatever of the body was not read is still on the socket: closing it is cheaper than draining it.
      ctx.set('Connection', 'close');
      throw error;
    }
    ctx.state.body = parseJson(bytes);
    // Parsing a large body and checking it are two turns of the event loop, not one: probes and
    // other requests get their turn in between.
    if (bytes.length > LARGE_BODY_BYTES) await nextTurn();
    await next();
  };
}
