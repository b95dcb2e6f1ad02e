/**
 * A Fetch-standard request handler: what `createOpenAiProxy()` and `createOfflineModel()` return, and
 * what Deno, Bun, Cloudflare Workers and Next.js route handlers call directly.
 */
export type FetchHandler = (request: Request) => Response | Promise<Response>;
