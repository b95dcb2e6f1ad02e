// The same proxy as a Cloudflare Worker: the handler is `Request → Response`, so it is called as is.
// Deploy with `wrangler deploy` after `wrangler secret put OPENAI_API_KEY`. The in-memory store counts
// per isolate; for one limit across the whole deployment, pass `rateLimit.store` backed by something
// the isolates share (see "Running several instances" in the README).
import { createOpenAiProxy } from 'chatwire/server';

let proxy;

export default {
  /** @param {Request} request @param {{ OPENAI_API_KEY: string }} env */
  fetch(request, env) {
    // Secrets arrive with the first request (`env`), so the handler is built then and reused.
    proxy ??= createOpenAiProxy({
      apiKey: env.OPENAI_API_KEY,
      allowedModels: ['gpt-4o-mini'],
      maxCompletionTokens: 1024,
      allowedOrigins: ['https://example.com'],
      allowedHosts: ['api.example.com'],
      rateLimit: { windowMs: 60_000, max: 30 },
      // On Workers, Cloudflare itself sets cf-connecting-ip (a client cannot), so it is the client's address.
      trustProxy: 'cloudflare',
    });
    const { pathname } = new URL(request.url);
    if (pathname !== '/api/chat' && !pathname.startsWith('/api/v1/')) {
      return new Response('Not found', { status: 404 });
    }
    return proxy(request);
  },
};
