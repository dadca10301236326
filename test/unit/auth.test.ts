/** API keys, JSON Web Tokens and the per-owner token buckets, without a server. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiKeyList } from '../../config/api-keys-setting.js';
import { SettingValueError } from '../../config/setting.js';
import { CallerIdentity } from '../../server/auth/caller-identity.js';
import { verifyJwt } from '../../server/auth/json-web-token.js';
import { TokenBuckets } from '../../server/auth/token-buckets.js';
import { signJwt as signToken } from '../helpers/sign-jwt.js';

const SECRET = 'a-shared-secret-of-at-least-32-chars!';
const NOW = 1_800_000_000;

const signJwt = (claims: Record<string, unknown>, secret = SECRET, header?: Record<string, unknown>) => signToken(claims, secret, header);

describe('API_KEYS', () => {
  const parse = apiKeyList().parse;

  it('reads owner:key pairs, one owner with several keys', () => {
    assert.deepEqual(parse(' alice:0123456789abcdef , bob@acme:fedcba9876543210,alice:rotated-key-000000 '), [
      { owner: 'alice', key: '0123456789abcdef' },
      { owner: 'bob@acme', key: 'fedcba9876543210' },
      { owner: 'alice', key: 'rotated-key-000000' },
    ]);
  });

  it('refuses short keys, missing owners and a key given twice', () => {
    for (const raw of ['alice:short', ':0123456789abcdef', '0123456789abcdef', 'al ice:0123456789abcdef', 'a:0123456789abcdef,b:0123456789abcdef']) {
      assert.throws(() => parse(raw), SettingValueError, raw);
    }
  });
});

describe('verifyJwt', () => {
  it('answers the owner of a valid token', () => {
    assert.deepEqual(verifyJwt(signJwt({ sub: 'alice', exp: NOW + 60 }), SECRET, NOW), { ok: true, owner: 'alice' });
  });

  it('refuses a wrong signature, alg none, an expired or early token, and one without sub or exp', () => {
    const cases: [string, RegExp][] = [
      [signJwt({ sub: 'alice', exp: NOW + 60 }, 'another-secret-of-at-least-32-chars!!'), /signature/],
      [signJwt({ sub: 'alice', exp: NOW + 60 }, SECRET, { alg: 'none' }).replace(/\.[^.]+$/, '.'), /not a JWT|HS256/],
      [signJwt({ sub: 'alice', exp: NOW + 60 }, SECRET, { alg: 'HS512' }), /HS256/],
      [signJwt({ sub: 'alice', exp: NOW - 60 }), /expired/],
      [signJwt({ sub: 'alice', exp: NOW + 600, nbf: NOW + 300 }), /not valid yet/],
      [signJwt({ exp: NOW + 60 }), /sub/],
      [signJwt({ sub: 'alice' }), /exp/],
    ];
    for (const [token, problem] of cases) {
      const check = verifyJwt(token, SECRET, NOW);
      assert.equal(check.ok, false);
      assert.match(check.ok ? '' : check.problem, problem);
    }
  });
});

describe('CallerIdentity', () => {
  it('makes everyone the anonymous owner when no keys or secret are set', () => {
    assert.deepEqual(new CallerIdentity([], undefined).identify(undefined), { ok: true, owner: 'anonymous' });
  });

  it('knows keys and tokens, and refuses a missing or unknown credential', () => {
    const identity = new CallerIdentity([{ owner: 'alice', key: '0123456789abcdef' }], SECRET);
    assert.deepEqual(identity.identify('0123456789abcdef'), { ok: true, owner: 'alice' });
    assert.deepEqual(identity.identify(signJwt({ sub: 'carol', exp: Date.now() / 1000 + 60 })), { ok: true, owner: 'carol' });
    assert.equal(identity.identify('0123456789abcdeX').ok, false);
    assert.equal(identity.identify(undefined).ok, false);
  });
});

describe('TokenBuckets', () => {
  it('allows a minute of requests at once, then one per refill, per owner', () => {
    let now = 0;
    const buckets = new TokenBuckets(3, () => now);
    assert.deepEqual([1, 2, 3].map(() => buckets.take('alice').admitted), [true, true, true]);
    assert.deepEqual(buckets.take('alice'), { admitted: false, retryAfterSeconds: 20 });
    assert.equal(buckets.take('bob').admitted, true, 'another owner has a bucket of its own');
    now = 19_000;
    assert.deepEqual(buckets.take('alice'), { admitted: false, retryAfterSeconds: 1 });
    now = 20_000;
    assert.equal(buckets.take('alice').admitted, true);
    assert.equal(buckets.take('alice').admitted, false);
  });
});
