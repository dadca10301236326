/**
 * Verifies HS256 JSON Web Tokens with the shared JWT_SECRET. Only what the farm needs: the
 * signature, `exp` (required), `nbf` when present, and `sub`, which names the owner.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenCheck = { ok: true; owner: string } | { ok: false; problem: string };

/** Leeway for clocks that disagree a little between the issuer and the farm. */
const CLOCK_SKEW_SECONDS = 30;

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** True when `token` has the three dot-separated parts of a JWT (an API key never has). */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

export function verifyJwt(token: string, secret: string, nowSeconds = Date.now() / 1000): TokenCheck {
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  if (!headerPart || !payloadPart || !signaturePart) return { ok: false, problem: 'the token is not a JWT' };
  const header = decodeJson(headerPart);
  // Only HS256: accepting the header's choice of algorithm is how `alg: none` tokens get in.
  if (header?.alg !== 'HS256') return { ok: false, problem: 'the token is not signed with HS256' };
  const expected = createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`).digest();
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'the token signature is wrong' };
  const claims = decodeJson(payloadPart);
  if (!claims) return { ok: false, problem: 'the token payload is not a JSON object' };
  if (typeof claims.exp !== 'number') return { ok: false, problem: 'the token has no exp claim' };
  if (claims.exp + CLOCK_SKEW_SECONDS <= nowSeconds) return { ok: false, problem: 'the token has expired' };
  if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_SKEW_SECONDS > nowSeconds) return { ok: false, problem: 'the token is not valid yet' };
  if (typeof claims.sub !== 'string' || !/^[\w.@-]{1,64}$/.test(claims.sub)) return { ok: false, problem: 'the token has no usable sub claim' };
  return { ok: true, owner: claims.sub };
}
