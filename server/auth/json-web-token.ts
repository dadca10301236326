/**
 * Verifies HS256 JSON Web Tokens with the shared JWT_SECRET, and the claims of every token whatever
 * signed it: `exp` (required, and at most JWT_MAX_LIFETIME_SECONDS ahead), `nbf` when present, `aud`
 * and `iss` when the farm expects them, `sub` (the token's subject) and `scope` (`admin` or not).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A token's verified subject and whether its scope includes `admin`. */
export type TokenCheck = { ok: true; subject: string; admin: boolean } | { ok: false; problem: string };

/** What the farm expects of every token's claims. */
export interface TokenRules {
  /** JWT_AUDIENCE: `aud` must be or contain it. */
  audience?: string;
  /** JWT_ISSUER: `iss` must equal it. */
  issuer?: string;
  /** JWT_MAX_LIFETIME_SECONDS: `exp` further ahead than this is refused. */
  maxLifetimeSeconds: number;
}

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

/** The `alg` a token's header names, or undefined when the header is unreadable. */
export function tokenAlgorithm(token: string): string | undefined {
  const alg = decodeJson(token.split('.')[0] ?? '')?.alg;
  return typeof alg === 'string' ? alg : undefined;
}

/** `scope` as OAuth writes it (`"read admin"`) or as a list (`["admin"]`). */
function hasAdminScope(scope: unknown): boolean {
  const scopes = typeof scope === 'string' ? scope.split(/\s+/) : Array.isArray(scope) ? scope : [];
  return scopes.includes('admin');
}

/** Checks the claims of a token whose signature was verified. */
export function checkClaims(claims: Record<string, unknown>, rules: TokenRules, nowSeconds = Date.now() / 1000): TokenCheck {
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return { ok: false, problem: 'the token has no exp claim' };
  if (claims.exp + CLOCK_SKEW_SECONDS <= nowSeconds) return { ok: false, problem: 'the token has expired' };
  if (claims.exp - nowSeconds > rules.maxLifetimeSeconds + CLOCK_SKEW_SECONDS) {
    return { ok: false, problem: `the token expires more than ${rules.maxLifetimeSeconds} s ahead (JWT_MAX_LIFETIME_SECONDS)` };
  }
  if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_SKEW_SECONDS > nowSeconds) return { ok: false, problem: 'the token is not valid yet' };
  if (rules.issuer !== undefined && claims.iss !== rules.issuer) return { ok: false, problem: 'the token is not from the expected issuer' };
  if (rules.audience !== undefined) {
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(rules.audience)) return { ok: false, problem: 'the token is not for this audience' };
  }
  if (typeof claims.sub !== 'string' || !/^[\w.@-]{1,64}$/.test(claims.sub)) return { ok: false, problem: 'the token has no usable sub claim' };
  return { ok: true, subject: claims.sub, admin: hasAdminScope(claims.scope) };
}

export function verifyJwt(token: string, secret: string, rules: TokenRules, nowSeconds = Date.now() / 1000): TokenCheck {
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
  return checkClaims(claims, rules, nowSeconds);
}
