/**
 * Who is calling: the owner an API key names, or the subject of a token. Keys are compared by their
 * SHA-256, so a lookup takes the same time whichever key matches, and no key is kept in a readable
 * map. Token subjects live in a namespace of their own (`token:<sub>`), so a token whose `sub` is
 * `alice` is not the key owner `alice`.
 */
import { createHash } from 'node:crypto';
import type { ApiKeyEntry, OwnerEntry } from '../../config/api-keys-setting.js';
import type { Config } from '../../config/settings.js';
import { JwksTokens } from './jwks-tokens.js';
import { looksLikeJwt, tokenAlgorithm, verifyJwt, type TokenCheck, type TokenRules } from './json-web-token.js';

/** The one owner of a farm that checks no credentials. */
export const ANONYMOUS_OWNER = 'anonymous';

/** The owner name of a token's subject: `:` never occurs in a key owner's name. */
export const tokenOwner = (subject: string): string => `token:${subject}`;

/** Whose tasks a request sees, and whether it sees everyone's and the system views. */
export interface Caller {
  owner: string;
  admin: boolean;
}

export type Identification = { ok: true; caller: Caller } | { ok: false; problem: string };

export interface IdentitySettings {
  apiKeys: readonly ApiKeyEntry[];
  owners: readonly OwnerEntry[];
  jwtSecret?: string;
  jwksUrl?: string;
  tokenRules: TokenRules;
}

export function identitySettings(config: Config): IdentitySettings {
  return {
    apiKeys: config.apiKeys,
    owners: config.apiKeysFile,
    jwtSecret: config.jwtSecret,
    jwksUrl: config.jwtJwksUrl,
    tokenRules: { audience: config.jwtAudience, issuer: config.jwtIssuer, maxLifetimeSeconds: config.jwtMaxLifetimeSeconds },
  };
}

const digest = (key: string): string => createHash('sha256').update(key).digest('hex');

export class CallerIdentity {
  private readonly callerByKeyDigest: ReadonlyMap<string, Caller>;
  private readonly jwtSecret: string | undefined;
  private readonly jwks: JwksTokens | undefined;
  private readonly tokenRules: TokenRules;

  constructor(settings: IdentitySettings) {
    const byDigest = new Map<string, Caller>(settings.apiKeys.map((entry) => [digest(entry.key), { owner: entry.owner, admin: false }]));
    for (const entry of settings.owners) {
      for (const key of entry.keys) byDigest.set(digest(key), { owner: entry.owner, admin: entry.admin });
    }
    this.callerByKeyDigest = byDigest;
    this.jwtSecret = settings.jwtSecret;
    this.jwks = settings.jwksUrl === undefined ? undefined : new JwksTokens(settings.jwksUrl, settings.tokenRules);
    this.tokenRules = settings.tokenRules;
  }

  /**
   * False when no key, secret or key set is configured: everyone is the anonymous owner, and, as the
   * only owner of the farm, sees the system views.
   */
  get required(): boolean {
    return this.callerByKeyDigest.size > 0 || this.jwtSecret !== undefined || this.jwks !== undefined;
  }

  /** The caller `credential` (an API key or a JWT) proves, or why it is refused. */
  async identify(credential: string | undefined): Promise<Identification> {
    if (!this.required) return { ok: true, caller: { owner: ANONYMOUS_OWNER, admin: true } };
    if (!credential) return { ok: false, problem: 'this farm needs an API key (X-API-Key or Authorization: Bearer)' };
    if (looksLikeJwt(credential) && (this.jwtSecret !== undefined || this.jwks !== undefined)) {
      return fromToken(await this.verifyToken(credential));
    }
    const caller = this.callerByKeyDigest.get(digest(credential));
    return caller === undefined ? { ok: false, problem: 'the API key is not known' } : { ok: true, caller };
  }

  private verifyToken(token: string): TokenCheck | Promise<TokenCheck> {
    if (tokenAlgorithm(token) === 'HS256' && this.jwtSecret !== undefined) return verifyJwt(token, this.jwtSecret, this.tokenRules);
    if (this.jwks !== undefined) return this.jwks.verify(token);
    return verifyJwt(token, this.jwtSecret ?? '', this.tokenRules);
  }
}

function fromToken(check: TokenCheck): Identification {
  return check.ok ? { ok: true, caller: { owner: tokenOwner(check.subject), admin: check.admin } } : check;
}
