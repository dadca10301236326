/**
 * Where a webhook may go. A `callbackUrl` whose host is, or resolves to, an address of the farm's own
 * network (loopback, private, link-local, unique-local, IPv4-mapped, unspecified, ...) is refused,
 * unless the operator allowed that host or range (WEBHOOK_ALLOW_HOSTS). The same check runs at
 * submission and again at delivery, and the delivery connects to the very address that was checked,
 * so a name that resolves elsewhere the second time (DNS rebinding) gains nothing.
 */
import { lookup as systemLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Ranges no webhook goes to, with the words a refusal names them by. */
const REFUSED_RANGES: readonly { network: string; prefix: number; family: 'ipv4' | 'ipv6'; kind: string }[] = [
  { network: '0.0.0.0', prefix: 8, family: 'ipv4', kind: 'unspecified' },
  { network: '127.0.0.0', prefix: 8, family: 'ipv4', kind: 'loopback' },
  { network: '10.0.0.0', prefix: 8, family: 'ipv4', kind: 'private' },
  { network: '172.16.0.0', prefix: 12, family: 'ipv4', kind: 'private' },
  { network: '192.168.0.0', prefix: 16, family: 'ipv4', kind: 'private' },
  { network: '100.64.0.0', prefix: 10, family: 'ipv4', kind: 'shared (carrier-grade NAT)' },
  { network: '169.254.0.0', prefix: 16, family: 'ipv4', kind: 'link-local' },
  { network: '192.0.0.0', prefix: 24, family: 'ipv4', kind: 'reserved' },
  { network: '198.18.0.0', prefix: 15, family: 'ipv4', kind: 'benchmarking' },
  { network: '224.0.0.0', prefix: 4, family: 'ipv4', kind: 'multicast' },
  { network: '240.0.0.0', prefix: 4, family: 'ipv4', kind: 'reserved' },
  { network: '::', prefix: 128, family: 'ipv6', kind: 'unspecified' },
  { network: '::1', prefix: 128, family: 'ipv6', kind: 'loopback' },
  // Mapped and compatible forms carry an IPv4 address the socket may reach as such: refused whole.
  { network: '::ffff:0:0', prefix: 96, family: 'ipv6', kind: 'IPv4-mapped' },
  { network: '::', prefix: 96, family: 'ipv6', kind: 'IPv4-compatible' },
  { network: '64:ff9b::', prefix: 96, family: 'ipv6', kind: 'NAT64' },
  { network: 'fc00::', prefix: 7, family: 'ipv6', kind: 'unique-local' },
  { network: 'fe80::', prefix: 10, family: 'ipv6', kind: 'link-local' },
  { network: 'fec0::', prefix: 10, family: 'ipv6', kind: 'site-local' },
  { network: 'ff00::', prefix: 8, family: 'ipv6', kind: 'multicast' },
];

const REFUSED_BY_KIND = REFUSED_RANGES.map((range) => {
  const list = new BlockList();
  list.addSubnet(range.network, range.prefix, range.family);
  return { list, kind: range.kind, family: range.family };
});

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** The kind of network `address` (an IP literal) belongs to when webhooks may not go there, else null. */
export function refusedAddressKind(address: string): string | null {
  if (isIP(address) === 0) return 'not an IP address';
  const family = familyOf(address);
  // Only ranges of the address's own family: BlockList matches IPv4 input against IPv6 ranges
  // through its mapped form, which would put every IPv4 address inside ::ffff:0:0/96.
  return REFUSED_BY_KIND.find((entry) => entry.family === family && entry.list.check(address, family))?.kind ?? null;
}

/** What WEBHOOK_ALLOW_HOSTS lets through: host names (exact, case-insensitive) and address ranges. */
export class CallbackAllowList {
  private readonly names: ReadonlySet<string>;
  private readonly ranges = new BlockList();
  private readonly hasRanges: boolean;

  /** `entries`: host names, IP addresses and CIDR ranges (`10.1.0.0/16`, `fd00::/8`). */
  constructor(entries: readonly string[] = []) {
    const names = new Set<string>();
    let hasRanges = false;
    for (const entry of entries) {
      const [network = '', prefix] = entry.split('/');
      if (isIP(network) === 0) {
        names.add(entry.toLowerCase().replace(/\.$/, ''));
        continue;
      }
      const family = familyOf(network);
      this.ranges.addSubnet(network, prefix === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefix), family);
      hasRanges = true;
    }
    this.names = names;
    this.hasRanges = hasRanges;
  }

  allowsName(host: string): boolean {
    return this.names.has(host.toLowerCase().replace(/\.$/, ''));
  }

  allowsAddress(address: string): boolean {
    return this.hasRanges && this.ranges.check(address, familyOf(address));
  }
}

/** One resolved address, as `dns.lookup` answers it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (dns.lookup by default; tests hand in their own). */
export type HostResolver = (host: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: HostResolver = async (host) =>
  (await systemLookup(host, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** Where a checked callback goes: the URL, and the address the connection must use. */
export interface CallbackTarget {
  url: URL;
  address: ResolvedAddress;
}

export type CallbackCheck = { ok: true; target: CallbackTarget } | { ok: false; problem: string };

/** The host of `url` without IPv6 brackets (`[::1]` → `::1`) or a trailing dot (`localhost.` → `localhost`). */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** `localhost` and its subdomains are loopback whatever a resolver says (RFC 6761). */
const isLocalhostName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

/**
 * Checks `callbackUrl` and answers the address to connect to, or why it may not be called. The URL
 * parser has already turned `2130706433`, `0x7f.1`, `0177.1` and `0` into dotted IPv4 addresses.
 * A name is refused when any of its addresses is refused: the socket could pick any of them.
 */
export async function checkCallbackUrl(
  callbackUrl: string,
  allowList: CallbackAllowList,
  resolve: HostResolver = systemResolver,
): Promise<CallbackCheck> {
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return { ok: false, problem: 'is not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'must be an http or https URL' };
  const host = bareHost(url);
  const literalFamily = isIP(host);
  const nameAllowed = literalFamily === 0 && allowList.allowsName(host);
  if (isLocalhostName(host) && !nameAllowed) {
    return { ok: false, problem: `points into the farm's own network (loopback name ${host}); WEBHOOK_ALLOW_HOSTS can allow it` };
  }
  let addresses: readonly ResolvedAddress[];
  if (literalFamily !== 0) {
    addresses = [{ address: host, family: literalFamily === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      return { ok: false, problem: `has a host (${host}) that does not resolve` };
    }
    if (addresses.length === 0) return { ok: false, problem: `has a host (${host}) that does not resolve` };
  }
  for (const { address } of addresses) {
    if (nameAllowed || allowList.allowsAddress(address)) continue;
    const kind = refusedAddressKind(address);
    if (kind !== null) {
      const named = literalFamily === 0 ? ` (${host} resolves to ${address})` : '';
      return { ok: false, problem: `points into the farm's own network (${kind} address${named}); WEBHOOK_ALLOW_HOSTS can allow it` };
    }
  }
  return { ok: true, target: { url, address: addresses[0]! } };
}
