import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a production install never posts to: loopback, private, link-local (cloud metadata
 * at 169.254.169.254), carrier-grade NAT, unspecified and IPv6 unique-local. Outside production
 * they are allowed, so tests and local receivers work.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

export interface UrlPolicy {
  /** https only, and no private or loopback receivers (unless allowPrivate). */
  production: boolean;
  allowPrivate: boolean;
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why `raw` may not be an endpoint's URL, or null when it may. Checks the URL as written (see resolvesPrivate for its addresses). */
export function endpointUrlProblem(raw: string, policy: UrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute http or https URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must be an http or https URL';
  if (policy.production && url.protocol !== 'https:') return 'url must be https in production';
  if (policy.production && !policy.allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host))
      return 'url may not point at a private or loopback address in production (set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow it)';
  }
  return null;
}

/**
 * Whether the URL's host resolves to a private address: checked before every production delivery,
 * as a public name may point inside the network.
 */
export async function resolvesPrivate(raw: string): Promise<boolean> {
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isPrivateAddress(host);
  const addresses = await lookup(host, { all: true });
  return addresses.some((a) => isPrivateAddress(a.address));
}
