/**
 * The address check of webhooks: which addresses are the farm's own network, what the URL parser
 * turns odd IPv4 spellings into, and what WEBHOOK_ALLOW_HOSTS lets through. Nothing here connects
 * anywhere: names resolve through a resolver the test hands in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallbackAllowList, checkCallbackUrl, refusedAddressKind, type HostResolver } from '../../tasks/callback-address.js';

const resolverOf =
  (table: Record<string, string[]>): HostResolver =>
  async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const noDns = resolverOf({});

describe('refusedAddressKind', () => {
  const refused: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:10.0.0.1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['::7f00:1', 'IPv4-compatible'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
  ];
  for (const [address, kind] of refused) {
    it(`refuses ${address} as ${kind}`, () => assert.equal(refusedAddressKind(address), kind));
  }

  it('lets public addresses of both families through', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '2a00:1450::1']) {
      assert.equal(refusedAddressKind(address), null, address);
    }
  });
});

describe('checkCallbackUrl', () => {
  it('refuses the spellings of loopback and unspecified that the URL parser normalises', async () => {
    for (const host of ['2130706433', '0x7f.1', '0x7f000001', '0177.0.0.1', '127.1', '0', '[::ffff:127.0.0.1]', '[0:0:0:0:0:ffff:7f00:1]', '[::1]', '[::]']) {
      const check = await checkCallbackUrl(`http://${host}:8080/hook`, new CallbackAllowList(), noDns);
      assert.equal(check.ok, false, host);
      assert.match(!check.ok ? check.problem : '', /farm's own network/, host);
    }
  });

  it('refuses private, link-local, unique-local and mapped literals, naming the kind', async () => {
    const cases: [string, RegExp][] = [
      ['http://10.1.2.3/', /private/],
      ['https://192.168.0.10/', /private/],
      ['http://169.254.169.254/latest/meta-data', /link-local/],
      ['http://[fe80::1%25eth0]/', /./],
      ['http://[fd00::1]/', /unique-local/],
      ['http://[::ffff:10.0.0.1]/', /IPv4-mapped/],
      ['http://[::ffff:169.254.169.254]/', /IPv4-mapped/],
    ];
    for (const [url, kind] of cases) {
      const check = await checkCallbackUrl(url, new CallbackAllowList(), noDns);
      assert.equal(check.ok, false, url);
      assert.match(!check.ok ? check.problem : '', kind, url);
    }
  });

  it('refuses a name when any of its addresses is refused, and one that does not resolve', async () => {
    const resolve = resolverOf({ 'mixed.example': ['93.184.215.14', '10.0.0.7'], 'public.example': ['93.184.215.14', '2606:2800::1'] });
    const mixed = await checkCallbackUrl('https://mixed.example/hook', new CallbackAllowList(), resolve);
    assert.equal(mixed.ok, false);
    assert.match(!mixed.ok ? mixed.problem : '', /mixed\.example resolves to 10\.0\.0\.7/);
    const unknown = await checkCallbackUrl('https://nowhere.example/hook', new CallbackAllowList(), resolve);
    assert.match(!unknown.ok ? unknown.problem : '', /does not resolve/);
    const fine = await checkCallbackUrl('https://public.example/hook', new CallbackAllowList(), resolve);
    assert.deepEqual(fine.ok && fine.target.address, { address: '93.184.215.14', family: 4 }, 'pinned to the first checked address');
  });

  it('lets WEBHOOK_ALLOW_HOSTS allow a named host or a range, and nothing else', async () => {
    const resolve = resolverOf({ 'hooks.internal': ['10.20.0.5'], 'other.internal': ['10.30.0.5'] });
    const allowList = new CallbackAllowList(['Hooks.Internal', '10.40.0.0/16', 'fd00:1::/32']);
    assert.equal((await checkCallbackUrl('http://hooks.internal/x', allowList, resolve)).ok, true);
    assert.equal((await checkCallbackUrl('http://other.internal/x', allowList, resolve)).ok, false);
    assert.equal((await checkCallbackUrl('http://10.40.3.4/x', allowList, resolve)).ok, true);
    assert.equal((await checkCallbackUrl('http://10.41.3.4/x', allowList, resolve)).ok, false);
    assert.equal((await checkCallbackUrl('http://[fd00:1::9]/x', allowList, resolve)).ok, true);
    assert.equal((await checkCallbackUrl('http://[fd00:2::9]/x', allowList, resolve)).ok, false);
    assert.equal((await checkCallbackUrl('http://127.0.0.1/x', allowList, resolve)).ok, false, 'loopback stays refused');
  });

  it('refuses what is not an http(s) URL', async () => {
    assert.equal((await checkCallbackUrl('file:///etc/passwd', new CallbackAllowList(), noDns)).ok, false);
    assert.equal((await checkCallbackUrl('not a url', new CallbackAllowList(), noDns)).ok, false);
  });
});
