import type * as Http from 'node:http';
import type { ClientRequest } from 'node:http';
import type * as Zlib from 'node:zlib';

/** Sends the proxy's upstream requests with node:http(s), over one keep-alive agent per protocol. */
export interface NodeUpstream {
  /** Starts a POST of `body` to `url`; the caller ends it, and listens for 'response' and 'error'. */
  post(url: string, headers: Record<string, string>, body: string): ClientRequest;
  /** A stream that undoes `encoding` (gzip, deflate, br), or undefined for one it does not know. */
  decoder(encoding: string): NodeJS.ReadWriteStream | undefined;
}

type HttpModule = Pick<typeof Http, 'request' | 'Agent'>;

/**
 * A lazily made `NodeUpstream`, or undefined where this runtime cannot load node:http without a
 * static `import`. The server entry is also bundled for Cloudflare Workers (without `nodejs_compat`),
 * where an `import 'node:http'` anywhere in it would break the build; `process.getBuiltinModule`
 * (Node ≥ 20.16, Bun) loads it only when `toNodeHandler` serves a request. Elsewhere the proxy uses
 * `fetch`, as on every other runtime.
 */
export function createNodeUpstream(): () => NodeUpstream | undefined {
  let made: NodeUpstream | null | undefined;
  return () => {
    if (made === undefined) made = loadNodeUpstream() ?? null;
    return made ?? undefined;
  };
}

function loadNodeUpstream(): NodeUpstream | undefined {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof process?.getBuiltinModule !== 'function') return undefined;
  const http = process.getBuiltinModule('node:http') as HttpModule | undefined;
  const https = process.getBuiltinModule('node:https') as HttpModule | undefined;
  const zlib = process.getBuiltinModule('node:zlib') as typeof Zlib | undefined;
  if (typeof http?.request !== 'function' || typeof https?.request !== 'function' || !zlib) return undefined;
  // Keep-alive, as `fetch` does: a new TCP (and TLS) connection per reply would cost more than the relay.
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({ keepAlive: true });
  return {
    post(url, headers, body) {
      const secure = url.startsWith('https:');
      return (secure ? https : http).request(url, {
        method: 'POST',
        agent: secure ? httpsAgent : httpAgent,
        headers: {
          ...headers,
          // Plain bytes are what the relay reads; a compressed reply would only cost CPU to undo.
          'accept-encoding': 'identity',
          'content-length': String(Buffer.byteLength(body)),
        },
      });
    },
    decoder(encoding) {
      if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.createGunzip();
      if (encoding === 'deflate') return zlib.createInflate();
      if (encoding === 'br') return zlib.createBrotliDecompress();
      return undefined;
    },
  };
}
