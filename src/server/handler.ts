/**
 * What the runtime knows about the connection a request arrived on. The proxy reads the client's
 * address from here, never from a header the client could write: `toNodeHandler` fills
 * `clientAddress`; `Deno.serve(handler)` passes `remoteAddr`; `Bun.serve({ fetch: handler })` passes its
 * server, whose `requestIP()` answers. Anything else a runtime passes as the second argument (a Worker's
 * `env`, a Next.js route's `{ params }`) is ignored.
 */
export interface ConnectionInfo {
  /** The peer address of the connection, as `toNodeHandler` supplies it. */
  clientAddress?: string;
  /** Deno.serve's `ServeHandlerInfo.remoteAddr`. */
  remoteAddr?: { hostname?: string };
  /** Bun's `Server.requestIP(request)`. */
  requestIP?: (request: Request) => { address: string } | null;
  [other: string]: unknown;
}

/**
 * A Fetch-standard request handler: what `createOpenAiProxy()` and `createOfflineModel()` return, and
 * what Deno, Bun, Cloudflare Workers and Next.js route handlers call directly.
 */
export type FetchHandler = (request: Request, connection?: ConnectionInfo) => Response | Promise<Response>;
