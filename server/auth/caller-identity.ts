/**
 * Who is calling: the owner an API key or a token names. Keys are compared by their SHA-256, so a
 * lookup takes the same time whichever key matches, and no key is kept in a readable map.
 */
import { createHash } from 'node:crypto';
import type { ApiKeyEntry } from '../../config/api-keys-setting.js';
import { looksLikeJwt, verifyJwt } from './json-web-token.js';

/** The one owner of a farm that checks no credentials. */
export const ANONYMOUS_OWNER = 'anonymous';

export type Identification = { ok: true; owner: string } | { ok: false; problem: string };

const digest = (key: string): string => createHash('sha256').update(key).digest('hex');

export class CallerIdentity {
  private readonly ownerByKeyDigest: ReadonlyMap<string, string>;

  constructor(
    apiKeys: readonly ApiKeyEntry[],
    private readonly jwtSecret: string | undefined,
  ) {
    this.ownerByKeyDigest = new Map(apiKeys.map((entry) => [digest(entry.key), entry.owner]));
  }

  /** False when neither API_KEYS nor JWT_SECRET is set: everyone is the anonymous owner. */
  get required(): boolean {
    return this.ownerByKeyDigest.size > 0 || this.jwtSecret !== undefined;
  }

  /** The owner of `credential` (an API key or a JWT), or why it is refused. */
  identify(credential: string | undefined): Identification {
    if (!this.required) return { ok: true, owner: ANONYMOUS_OWNER };
    if (!credential) return { ok: false, problem: 'this farm needs an API key (X-API-Key or Authorization: Bearer)' };
    if (this.jwtSecret !== undefined && looksLikeJwt(credential)) {
      const token = verifyJwt(credential, this.jwtSecret);
      return token.ok ? token : { ok: false, problem: token.problem };
    }
    const owner = this.ownerByKeyDigest.get(digest(credential));
    return owner === undefined ? { ok: false, problem: 'the API key is not known' } : { ok: true, owner };
  }
}
