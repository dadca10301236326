/**
 * Tokens signed with the keys of an identity provider's JSON Web Key Set (JWT_JWKS_URL), through
 * `jose`: the set is fetched when first needed, cached, and fetched again for a key id it lacks.
 * Only asymmetric algorithms: a symmetric one would let anyone who can read the public set sign.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { checkClaims, type TokenCheck, type TokenRules } from './json-web-token.js';

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export class JwksTokens {
  private readonly keySet: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    url: string,
    private readonly rules: TokenRules,
  ) {
    this.keySet = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000 });
  }

  async verify(token: string): Promise<TokenCheck> {
    let payload: JWTPayload;
    try {
      // The signature only: every claim is checked by checkClaims, as for HS256 tokens.
      ({ payload } = await jwtVerify(token, this.keySet, { algorithms: ASYMMETRIC_ALGORITHMS, clockTolerance: 30 }));
    } catch (error) {
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
      if (code === 'ERR_JWT_EXPIRED') return { ok: false, problem: 'the token has expired' };
      if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { ok: false, problem: 'the token signature is wrong' };
      if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC' || code === 'ERR_JWKS_INVALID') return { ok: false, problem: 'the key set of JWT_JWKS_URL could not be read' };
      return { ok: false, problem: 'the token is not valid' };
    }
    return checkClaims(payload as Record<string, unknown>, this.rules);
  }
}
