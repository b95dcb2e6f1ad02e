import { invalidConfig } from '../core/errors';
import type { ConnectionInfo } from './handler';
import { boundedKey } from './rate-limit';
import type { RequestHead } from './request-head';

/**
 * Which forwarding headers to believe about the client's address. `'cloudflare'`: `cf-connecting-ip`
 * (only when the server is reachable through Cloudflare alone, as a Worker is). A number: that many
 * reverse proxies of yours stand in front, each appending to `x-forwarded-for`, so the client is that
 * many entries from the right; entries further left were written by the client and are ignored.
 */
export type TrustProxy = 'cloudflare' | number;

/**
 * Names the client a request counts against, e.g. your signed-in user's id from a session cookie. It
 * gets the address the proxy would otherwise use (per `trustProxy`), so it can fall back to it;
 * returning nothing falls back to that address too. Read the request's URL and headers, not its body:
 * the proxy reads the body itself (behind `toNodeHandler` the Request carries none).
 */
export type Identify = (
  request: Request,
  client: { address: string | undefined },
) => string | null | undefined | Promise<string | null | undefined>;

/**
 * Resolves a request to a bounded identity: `user:<id>` from `identify`, else `ip:<address>`, else
 * undefined. `request()` gives the Fetch Request, for `identify` and Bun's `requestIP`.
 */
export type Identifier = (
  head: RequestHead,
  request: () => Request,
  connection: ConnectionInfo | object | undefined,
) => Promise<string | undefined>;

// Identities longer than this are replaced by their SHA-256, so a caller cannot make a store hold large keys.
const maxIdentityLength = 128;

export function createIdentifier(
  trustProxy: TrustProxy | undefined,
  identify: Identify | undefined,
): Identifier {
  if (
    trustProxy !== undefined &&
    trustProxy !== 'cloudflare' &&
    !(Number.isSafeInteger(trustProxy) && trustProxy >= 1)
  ) {
    throw invalidConfig(
      "createOpenAiProxy: trustProxy must be 'cloudflare' or a positive number of proxies.",
    );
  }
  if (identify !== undefined && typeof identify !== 'function') {
    throw invalidConfig('createOpenAiProxy: identify must be a function.');
  }
  return async (head, request, connection) => {
    const address = clientAddress(head, request, connection, trustProxy);
    const named = identify ? await identify(request(), { address }) : undefined;
    if (typeof named === 'string' && named !== '') return bounded(`user:${named}`);
    return address === undefined ? undefined : bounded(`ip:${addressKey(address)}`);
  };
}

/** The client's address: from the headers `trustProxy` names, else from the connection itself. */
export function clientAddress(
  head: RequestHead,
  request: () => Request,
  connection: ConnectionInfo | object | undefined,
  trustProxy: TrustProxy | undefined,
): string | undefined {
  if (trustProxy === 'cloudflare') {
    const value = head.headers.get('cf-connecting-ip')?.trim();
    if (value) return value;
  } else if (typeof trustProxy === 'number') {
    const entries = (head.headers.get('x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    // Fewer entries than proxies means every entry was appended by one of them, so the first is trusted.
    if (entries.length > 0) return entries[Math.max(0, entries.length - trustProxy)];
  }
  return connectionAddress(request, connection);
}

function connectionAddress(
  request: () => Request,
  given: ConnectionInfo | object | undefined,
): string | undefined {
  if (!given || typeof given !== 'object') return undefined;
  const connection = given as ConnectionInfo;
  if (typeof connection.clientAddress === 'string' && connection.clientAddress)
    return connection.clientAddress;
  const deno = connection.remoteAddr?.hostname;
  if (typeof deno === 'string' && deno) return deno;
  if (typeof connection.requestIP === 'function') {
    try {
      const bun = connection.requestIP(request())?.address;
      if (typeof bun === 'string' && bun) return bun;
    } catch {
      // Not Bun's server after all: no address.
    }
  }
  return undefined;
}

/**
 * The form an address is counted under. IPv4-mapped IPv6 becomes plain IPv4; IPv6 is counted per /64,
 * the block one subscriber is normally given, so rotating through it does not reset a limit.
 */
export function addressKey(address: string): string {
  let text = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (mapped) return mapped[1]!;
  if (!text.includes(':')) return text;
  const groups = expandIPv6(text);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : text;
}

function expandIPv6(text: string): string[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const last = (tail.length > 0 ? tail : head).at(-1);
  // An embedded IPv4 tail (`::1.2.3.4`) is two groups; /64 never reaches it, so it only needs counting.
  const extra = last?.includes('.') ? 1 : 0;
  const missing = 8 - head.length - tail.length - extra;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => '0'), ...tail];
  if (!groups.slice(0, 4).every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) =>
    /^[0-9a-f]{1,4}$/.test(group) ? Number.parseInt(group, 16).toString(16) : group,
  );
}

async function bounded(identity: string): Promise<string> {
  if (identity.length <= maxIdentityLength) return identity;
  const subtle = globalThis.crypto?.subtle;
  // Node 18 without the global Web Crypto: the store's own bounded form, a prefix and a fast hash.
  if (!subtle) return boundedKey(identity);
  const digest = new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(identity)));
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${identity.slice(0, identity.indexOf(':') + 1)}sha256:${hex}`;
}
