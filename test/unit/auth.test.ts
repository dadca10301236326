/** API keys, the keys file, JSON Web Tokens (a key set served on loopback) and the per-owner token buckets, without the farm. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, it } from 'node:test';
import { apiKeyList, parseOwnerEntries } from '../../config/api-keys-setting.js';
import { SettingValueError } from '../../config/setting.js';
import { CallerIdentity, type IdentitySettings } from '../../server/auth/caller-identity.js';
import { verifyJwt, type TokenRules } from '../../server/auth/json-web-token.js';
import { hiddenFolders, withoutFolders } from '../../server/auth/scopes.js';
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

const RULES: TokenRules = { maxLifetimeSeconds: 3600 };

describe('verifyJwt', () => {
  it('answers the subject of a valid token, and whether its scope includes admin', () => {
    assert.deepEqual(verifyJwt(signJwt({ sub: 'alice', exp: NOW + 60 }), SECRET, RULES, NOW), { ok: true, subject: 'alice', admin: false });
    assert.deepEqual(verifyJwt(signJwt({ sub: 'ops', exp: NOW + 60, scope: 'read admin' }), SECRET, RULES, NOW), { ok: true, subject: 'ops', admin: true });
    assert.deepEqual(verifyJwt(signJwt({ sub: 'ops', exp: NOW + 60, scope: ['admin'] }), SECRET, RULES, NOW), { ok: true, subject: 'ops', admin: true });
    assert.equal((verifyJwt(signJwt({ sub: 'ops', exp: NOW + 60, scope: 'administrator' }), SECRET, RULES, NOW) as { admin: boolean }).admin, false);
  });

  it('checks audience and issuer when they are set, and refuses an exp too far ahead', () => {
    const rules: TokenRules = { audience: 'echarts-farm', issuer: 'https://id.example', maxLifetimeSeconds: 3600 };
    const good = { sub: 'alice', exp: NOW + 60, aud: 'echarts-farm', iss: 'https://id.example' };
    assert.equal(verifyJwt(signJwt(good), SECRET, rules, NOW).ok, true);
    assert.equal(verifyJwt(signJwt({ ...good, aud: ['other', 'echarts-farm'] }), SECRET, rules, NOW).ok, true);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...good, aud: 'another-service' }, /audience/],
      [{ ...good, aud: undefined }, /audience/],
      [{ ...good, iss: 'https://evil.example' }, /issuer/],
      [{ ...good, iss: undefined }, /issuer/],
      [{ ...good, exp: 1e300 }, /more than 3600 s ahead/],
      [{ ...good, exp: NOW + 3600 * 24 }, /more than 3600 s ahead/],
    ];
    for (const [claims, problem] of cases) {
      const check = verifyJwt(signJwt(claims), SECRET, rules, NOW);
      assert.match(check.ok ? 'accepted' : check.problem, problem, JSON.stringify(claims));
    }
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
      const check = verifyJwt(token, SECRET, RULES, NOW);
      assert.equal(check.ok, false);
      assert.match(check.ok ? '' : check.problem, problem);
    }
  });
});

describe('CallerIdentity', () => {
  const settings = (overrides: Partial<IdentitySettings> = {}): IdentitySettings => ({ apiKeys: [], owners: [], tokenRules: RULES, ...overrides });

  it('makes everyone the anonymous owner, with the system views, when no keys or secret are set', async () => {
    assert.deepEqual(await new CallerIdentity(settings()).identify(undefined), { ok: true, caller: { owner: 'anonymous', admin: true } });
  });

  it('knows keys and tokens, and refuses a missing or unknown credential', async () => {
    const identity = new CallerIdentity(settings({ apiKeys: [{ owner: 'alice', key: '0123456789abcdef' }], jwtSecret: SECRET }));
    assert.deepEqual(await identity.identify('0123456789abcdef'), { ok: true, caller: { owner: 'alice', admin: false } });
    assert.deepEqual(await identity.identify(signJwt({ sub: 'carol', exp: Date.now() / 1000 + 60 })), { ok: true, caller: { owner: 'token:carol', admin: false } });
    assert.equal((await identity.identify('0123456789abcdeX')).ok, false);
    assert.equal((await identity.identify(undefined)).ok, false);
  });

  it('keeps token subjects apart from key owners: sub alice is not the key owner alice', async () => {
    const identity = new CallerIdentity(settings({ apiKeys: [{ owner: 'alice', key: '0123456789abcdef' }], jwtSecret: SECRET }));
    const byKey = await identity.identify('0123456789abcdef');
    const byToken = await identity.identify(signJwt({ sub: 'alice', exp: Date.now() / 1000 + 60 }));
    assert.ok(byKey.ok && byToken.ok);
    assert.notEqual(byKey.caller.owner, byToken.caller.owner);
  });

  it('gives the admin scope to the keys file owners that have it', async () => {
    const owners = parseOwnerEntries('ops key=ops-key-0123456789 scope=admin\nalice key=alice-key-012345678\n');
    const identity = new CallerIdentity(settings({ owners }));
    assert.deepEqual(await identity.identify('ops-key-0123456789'), { ok: true, caller: { owner: 'ops', admin: true } });
    assert.deepEqual(await identity.identify('alice-key-012345678'), { ok: true, caller: { owner: 'alice', admin: false } });
  });
});

describe('API_KEYS_FILE', () => {
  it('reads one owner a line with keys, scope, limits and webhook secret; # starts a comment', () => {
    const text = [
      '# owner   fields',
      'alice key=alice-key-0123456789 key=alice-rotated-012345 rate=120 maxPending=40 webhookSecret=alice-hook-secret',
      '',
      'ops   key=ops-key-0123456789abc scope=admin   # the operators',
    ].join('\n');
    assert.deepEqual(parseOwnerEntries(text), [
      { owner: 'alice', keys: ['alice-key-0123456789', 'alice-rotated-012345'], admin: false, ratePerMinute: 120, maxPending: 40, webhookSecret: 'alice-hook-secret' },
      { owner: 'ops', keys: ['ops-key-0123456789abc'], admin: true },
    ]);
  });

  it('refuses a bad line naming its number, never its keys', () => {
    const bad = ['alice rate=5', 'alice key=short', 'alice key=alice-key-0123456789 scope=root', 'alice key=alice-key-0123456789 colour=red', 'al:ice key=alice-key-0123456789', 'a key=alice-key-0123456789\nb key=alice-key-0123456789', 'alice key=alice-key-0123456789 rate=-1'];
    for (const text of bad) {
      assert.throws(() => parseOwnerEntries(text), (error: Error) => error instanceof SettingValueError && /line \d/.test(error.message) && !error.message.includes('alice-key-0123456789'), text);
    }
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

describe('answers without folders', () => {
  it("replaces the farm's own folders in a message, and leaves URL paths alone", () => {
    const folders = hiddenFolders({ localStorageDir: '/srv/farm/images', canaryDir: '/srv/farm/canary' });
    const message = withoutFolders("reading failed: ENOENT: no such file or directory, open '/srv/farm/images/2026/a.png'; /api/system/info", folders);
    assert.equal(message, "reading failed: ENOENT: no such file or directory, open '…/2026/a.png'; /api/system/info");
    assert.equal(withoutFolders(`golden ${process.cwd()}/data/canary/x.png unreadable`, folders), 'golden …/data/canary/x.png unreadable');
  });
});

describe('tokens from a JSON Web Key Set', () => {
  it('accepts a token signed with a key of the set (fetched from a loopback server), refuses others and HS256', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const stranger = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    let fetches = 0;
    const server = createServer((_request, response) => {
      fetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
      const identity = new CallerIdentity({ apiKeys: [], owners: [], jwksUrl, tokenRules: { audience: 'farm', maxLifetimeSeconds: 3600 } });
      const sign = (key: CryptoKey, claims: Record<string, unknown>) =>
        new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setExpirationTime('10m').sign(key);
      assert.deepEqual(await identity.identify(await sign(privateKey, { sub: 'dana', aud: 'farm', scope: 'admin' })), {
        ok: true,
        caller: { owner: 'token:dana', admin: true },
      });
      const refusals: [string, RegExp][] = [
        [await sign(stranger.privateKey, { sub: 'dana', aud: 'farm' }), /signature/],
        [await sign(privateKey, { sub: 'dana', aud: 'elsewhere' }), /audience/],
        [await new SignJWT({ sub: 'dana', aud: 'farm' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setExpirationTime('30d').sign(privateKey), /ahead/],
        [signJwt({ sub: 'dana', aud: 'farm', exp: Math.floor(Date.now() / 1000) + 60 }), /not valid|HS256/],
      ];
      for (const [token, problem] of refusals) {
        const answer = await identity.identify(token);
        assert.match(answer.ok ? 'accepted' : answer.problem, problem);
      }
      assert.ok(fetches >= 1);
    } finally {
      server.close();
    }
  });
});
